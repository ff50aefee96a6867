package io.pushgate.bridge.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Redis subscriber that shares nothing with the bridge: a plain socket speaking RESP2, which
 * SUBSCRIBEs to one channel and keeps the exact bytes of every message's payload.
 */
public final class RawRedisSubscriber implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final List<byte[]> payloads = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean subscribed;

    public RawRedisSubscriber(int port, String channel) throws IOException {
        socket = new Socket("127.0.0.1", port);
        in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        out.write(("*2\r\n$9\r\nSUBSCRIBE\r\n$" + name.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(name);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        reader = new Thread(this::read, "raw-subscriber-" + channel);
        reader.setDaemon(true);
        reader.start();
    }

    /** True once Redis confirmed the SUBSCRIBE. */
    public boolean isSubscribed() {
        return subscribed;
    }

    public List<byte[]> payloads() {
        return List.copyOf(payloads);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void read() {
        try {
            while (true) {
                List<byte[]> reply = readArray();
                String kind = new String(reply.get(0), StandardCharsets.US_ASCII);
                if ("subscribe".equals(kind)) {
                    subscribed = true;
                } else if ("message".equals(kind)) {
                    payloads.add(reply.get(2));
                }
            }
        } catch (IOException | RuntimeException closed) {
            // the test closed the socket
        }
    }

    /** An array of bulk strings or integers (integers as their decimal text). */
    private List<byte[]> readArray() throws IOException {
        String header = readLine();
        if (header.charAt(0) != '*') {
            throw new IOException("expected an array, got " + header);
        }
        int size = Integer.parseInt(header.substring(1));
        List<byte[]> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String line = readLine();
            if (line.charAt(0) == ':') {
                items.add(line.substring(1).getBytes(StandardCharsets.US_ASCII));
            } else {
                int length = Integer.parseInt(line.substring(1));
                items.add(in.readNBytes(length));
                readLine();
            }
        }
        return items;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("closed");
            }
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
            }
            line.write(next);
            previous = next;
        }
    }
}
