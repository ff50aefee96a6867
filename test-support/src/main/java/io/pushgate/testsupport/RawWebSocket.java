package io.pushgate.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client written by hand on a plain socket: the handshake, masked text frames out, and
 * frames in only when the test chooses to read. A test that never reads makes the server's write
 * queue fill, as a stalled browser tab or a dead mobile link would.
 */
public final class RawWebSocket implements AutoCloseable {

    /** One frame read: its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame, or -1. */
        public int closeCode() {
            return opcode == 8 && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /**
     * Opens a connection and upgrades it.
     *
     * @param receiveBuffer the socket's receive buffer in bytes (set before connecting, so that a
     *     small one keeps the TCP window small), or 0 for the system's default
     */
    public static RawWebSocket connect(int port, String pathAndQuery, int receiveBuffer) throws IOException {
        Socket socket = open(port, receiveBuffer);
        String status = readHeaders(upgrade(socket, port, pathAndQuery, Map.of()));
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + status);
        }
        return new RawWebSocket(socket);
    }

    /** What the server answered to an upgrade request: its status code and, when it refused, its body. */
    public record Answer(int status, String body) {
    }

    /** Sends an upgrade request with extra headers (an {@code Origin}, say) and reads the answer, then closes. */
    public static Answer tryUpgrade(int port, String pathAndQuery, Map<String, String> headers) throws IOException {
        try (Socket socket = open(port, 0)) {
            InputStream in = upgrade(socket, port, pathAndQuery, headers);
            String head = readHead(in);
            int status = Integer.parseInt(head.split(" ")[1]);
            if (status == 101) {
                return new Answer(status, "");
            }
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = new DataInputStream(in).readNBytes(length);
            return new Answer(status, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static Socket open(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static InputStream upgrade(Socket socket, int port, String pathAndQuery, Map<String, String> headers) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        StringBuilder extra = new StringBuilder();
        headers.forEach((k, v) -> extra.append(k).append(": ").append(v).append("\r\n"));
        socket.getOutputStream().write((request + extra + "\r\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return socket.getInputStream();
    }

    /** Reads the response head byte by byte (so no frame byte is consumed); returns the status line. */
    private static String readHeaders(InputStream in) throws IOException {
        return readHead(in).split("\r\n")[0];
    }

    /** The whole response head: status line and headers. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public void sendText(String text) throws IOException {
        sendTextBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A text frame with exactly these payload bytes, valid UTF-8 or not. */
    public void sendTextBytes(byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads the next frame; throws {@link EOFException} when the server closed the connection. */
    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
