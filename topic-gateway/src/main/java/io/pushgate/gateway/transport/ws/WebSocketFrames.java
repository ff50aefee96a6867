package io.pushgate.gateway.transport.ws;

import io.pushgate.gateway.sessions.Frame;

/**
 * The bytes of an unmasked, final WebSocket text frame (RFC 6455 §5.2), as a server sends it:
 * the gateway encodes an update's frame once and writes the same bytes to every subscriber,
 * instead of having Netty's encoder build a header for each.
 */
final class WebSocketFrames {

    private static final byte FIN_TEXT = (byte) 0x81;

    private WebSocketFrames() {
    }

    /** Header length for a payload of {@code length} bytes. */
    static int headerLength(int length) {
        return length < 126 ? 2 : length < 65536 ? 4 : 10;
    }

    /** Writes the header of a text frame of {@code length} payload bytes at {@code into[0..]}; returns its length. */
    static int writeHeader(byte[] into, int length) {
        into[0] = FIN_TEXT;
        if (length < 126) {
            into[1] = (byte) length;
            return 2;
        }
        if (length < 65536) {
            into[1] = 126;
            into[2] = (byte) (length >>> 8);
            into[3] = (byte) length;
            return 4;
        }
        into[1] = 127;
        long l = length;
        for (int i = 0; i < 8; i++) {
            into[2 + i] = (byte) (l >>> (56 - 8 * i));
        }
        return 10;
    }

    /** The whole frame of a message, header included, made once per message and shared by its subscribers. */
    static byte[] encoded(Frame message) {
        return message.encoded(f -> textFrame(f.utf8()));
    }

    /** The whole frame: header and payload. */
    static byte[] textFrame(byte[] payload) {
        byte[] frame = new byte[headerLength(payload.length) + payload.length];
        int at = writeHeader(frame, payload.length);
        System.arraycopy(payload, 0, frame, at, payload.length);
        return frame;
    }
}
