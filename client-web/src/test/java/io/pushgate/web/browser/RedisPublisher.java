package io.pushgate.web.browser;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** {@code PUBLISH} over a raw socket in RESP (payloads hold spaces and quotes, which inline commands cannot carry). */
final class RedisPublisher {

    private RedisPublisher() {
    }

    /** Publishes and returns how many subscribers Redis delivered the message to. */
    static long publish(int port, String channel, String payload) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("*3\r\n".getBytes(StandardCharsets.US_ASCII));
            for (String part : new String[] {"PUBLISH", channel, payload}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(bytes);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (reply == null || !reply.startsWith(":")) {
                throw new IllegalStateException("PUBLISH answered " + reply);
            }
            return Long.parseLong(reply.substring(1));
        } catch (IOException e) {
            throw new IllegalStateException("cannot publish to redis on port " + port, e);
        }
    }
}
