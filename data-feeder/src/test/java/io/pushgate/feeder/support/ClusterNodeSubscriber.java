package io.pushgate.feeder.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain {@code SUBSCRIBE} on one node of a Redis Cluster, over its own socket and not through
 * the cluster client, so that a test sees what a subscriber connected to that very node gets:
 * in a cluster a {@code PUBLISH} on any node reaches the subscribers of every node.
 */
public final class ClusterNodeSubscriber implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ClusterNodeSubscriber(int port, String channel) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("SUBSCRIBE " + channel + "\r\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        in = new BufferedInputStream(socket.getInputStream());
        // ["subscribe", channel, 1]: subscribed before this returns, so nothing published afterwards is missed
        Object confirmation = read();
        if (!(confirmation instanceof List<?> reply) || !"subscribe".equals(reply.get(0))) {
            socket.close();
            throw new IllegalStateException("SUBSCRIBE on port " + port + " answered " + confirmation);
        }
        reader = new Thread(this::readMessages, "subscriber-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    public static ClusterNodeSubscriber subscribe(int port, String channel) {
        try {
            return new ClusterNodeSubscriber(port, channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payloads received so far, in order. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void readMessages() {
        try {
            while (true) {
                // ["message", channel, payload]
                if (read() instanceof List<?> push && push.size() == 3 && "message".equals(push.get(0))) {
                    messages.add((String) push.get(2));
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** One RESP2 value: a simple or bulk string, an integer, an error (as "-..."), or an array of values. */
    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed");
        }
        String line = line();
        switch (type) {
            case '+', '-':
                return type == '-' ? "-" + line : line;
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                line();
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    values.add(read());
                }
                return values;
            }
            default:
                throw new IOException("not RESP: " + (char) type + line);
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c < 0) {
            throw new IOException("connection closed");
        }
        return line.toString();
    }
}
