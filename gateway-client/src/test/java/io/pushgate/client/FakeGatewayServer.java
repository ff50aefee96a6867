package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A scripted gateway on a real loopback socket, for unit tests of what needs a network (several
 * endpoints, fail-over): a minimal WebSocket server (RFC 6455: the handshake, unmasked text frames
 * out, masked text, ping and close frames in) whose test reads each request the client sends and
 * writes the gateway's messages, in the order it chooses ({@code ping} too: the client's
 * subscription barrier depends on the pong coming after the messages of earlier requests).
 * {@link #refuseWith} makes the handshake fail with an HTTP status. {@link #kill()} drops every connection with a TCP reset and stops listening, as a process killed
 * with SIGKILL would; {@link #start()} listens again on the same port.
 */
final class FakeGatewayServer implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** One client connection: what it sent, and a way to push messages to it. */
    final class Conn {
        private final Socket socket;
        private final OutputStream out;
        final BlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();
        final List<JsonNode> all = new CopyOnWriteArrayList<>();
        volatile boolean ended;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** Writes one message (single quotes stand for double quotes). */
        void send(String singleQuoted) {
            send(Msg.json(singleQuoted));
        }

        synchronized void send(JsonNode message) {
            byte[] payload = Json.write(message).getBytes(StandardCharsets.UTF_8);
            try {
                out.write(0x81);
                if (payload.length < 126) {
                    out.write(payload.length);
                } else if (payload.length < 65536) {
                    out.write(126);
                    out.write(payload.length >>> 8);
                    out.write(payload.length & 0xff);
                } else {
                    out.write(127);
                    for (int i = 7; i >= 0; i--) {
                        out.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
                    }
                }
                out.write(payload);
                out.flush();
            } catch (IOException e) {
                ended = true;
            }
        }

        /** Answers a {@code ping}. */
        void pong(JsonNode ping) {
            ObjectNode pong = Json.MAPPER.createObjectNode().put("type", "pong");
            pong.set("id", ping.get("id"));
            send(pong);
        }

        /** Answers a request with {@code ok} (its id, plus the fields given). */
        void ok(JsonNode request, String extraFields) {
            ObjectNode ok = (ObjectNode) Msg.json("{'type':'ok'" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}");
            ok.set("id", request.get("id"));
            send(ok);
        }

        /** The next request of this op (others of other ops before it are skipped), within 10 s. */
        JsonNode next(String op) {
            return next(r -> op.equals(r.path("op").asText()));
        }

        JsonNode next(Predicate<JsonNode> wanted) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            try {
                while (true) {
                    JsonNode r = requests.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (r == null) {
                        throw new AssertionError("no such request within 10 s; got " + all);
                    }
                    if (wanted.test(r)) {
                        return r;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        private void abort() {
            ended = true;
            try {
                socket.setSoLinger(true, 0); // close with RST, as the kernel does for a killed process
                socket.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }

    private volatile int port;
    private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final List<Conn> conns = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile int refuseStatus;

    FakeGatewayServer() {
        this(0);
    }

    FakeGatewayServer(int port) {
        this.port = port;
    }

    synchronized FakeGatewayServer start() {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server = s;
            port = s.getLocalPort(); // the same port again after kill() and start()
            Thread acceptor = new Thread(() -> accept(s), "fake-gateway-" + s.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    int port() {
        return port;
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + "/v1/ws");
    }

    /** Refuses every handshake from now on with this HTTP status (0: accepts again). */
    void refuseWith(int status) {
        this.refuseStatus = status;
    }

    /** The next connection accepted (after its handshake), within 10 s. */
    Conn nextConnection() {
        try {
            Conn c = accepted.poll(10, TimeUnit.SECONDS);
            if (c == null) {
                throw new AssertionError("no connection to " + uri() + " within 10 s");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** True if a connection came that no test took with {@link #nextConnection()}. */
    boolean hasUntakenConnection() {
        return !accepted.isEmpty();
    }

    /** Drops every connection with a TCP reset and stops listening. */
    synchronized void kill() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closed
            }
        }
        conns.forEach(Conn::abort);
        conns.clear();
    }

    @Override
    public void close() {
        kill();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                return;
            }
            Thread reader = new Thread(() -> serve(socket), "fake-gateway-conn");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void serve(Socket socket) {
        Conn conn;
        try {
            InputStream in = socket.getInputStream();
            String key = null;
            for (String line : readHead(in)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Key")) {
                    key = line.substring(colon + 1).trim();
                }
            }
            OutputStream out = socket.getOutputStream();
            int refuse = refuseStatus;
            if (refuse != 0) {
                byte[] body = "{\"code\":\"REFUSED\",\"message\":\"refused by the test\"}".getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + refuse + " Refused\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                socket.close();
                return;
            }
            if (key == null) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.close();
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            conn = new Conn(socket);
            conns.add(conn);
            accepted.add(conn);
            readFrames(conn, in);
        } catch (IOException | NoSuchAlgorithmException e) {
            // the connection ended
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            if (prev == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
            prev = b;
        }
    }

    private void readFrames(Conn conn, InputStream in) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int b0 = readByte(in);
            int b1 = readByte(in);
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0f;
            long length = b1 & 0x7f;
            if (length == 126) {
                length = ((long) readByte(in) << 8) | readByte(in);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte(in);
                }
            }
            byte[] mask = new byte[4];
            if ((b1 & 0x80) != 0) {
                for (int i = 0; i < 4; i++) {
                    mask[i] = (byte) readByte(in);
                }
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                throw new EOFException();
            }
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            switch (opcode) {
                case 0x0, 0x1 -> {
                    message.write(payload);
                    if (fin) {
                        JsonNode request = Json.parse(message.toString(StandardCharsets.UTF_8));
                        message.reset();
                        conn.all.add(request);
                        conn.requests.add(request);
                    }
                }
                case 0x8 -> { // close: answer it and end
                    synchronized (conn) {
                        conn.out.write(0x88);
                        conn.out.write(payload.length);
                        conn.out.write(payload);
                        conn.out.flush();
                    }
                    conn.ended = true;
                    conn.socket.close();
                    return;
                }
                case 0x9 -> {
                    synchronized (conn) {
                        conn.out.write(0x8A);
                        conn.out.write(payload.length);
                        conn.out.write(payload);
                        conn.out.flush();
                    }
                }
                default -> {
                    // pong, binary: ignored
                }
            }
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }
}
