package io.pushgate.reliability.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP load balancer in front of gateway replicas, as a Kubernetes Service or HAProxy would be:
 * each new connection goes to the first replica in the list that accepts it. A client library
 * that only knows one URL (this proxy's) reaches the surviving replica when it reconnects.
 */
public final class FailoverProxy implements AutoCloseable {

    private final List<Integer> backends;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "failover-proxy");
        t.setDaemon(true);
        return t;
    });

    public FailoverProxy(List<Integer> backendPorts) throws IOException {
        this.backends = List.copyOf(backendPorts);
        this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> route(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void route(Socket client) {
        for (int port : backends) {
            Socket backend = new Socket();
            try {
                backend.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (IOException e) {
                close(backend);
                continue;
            }
            threads.execute(() -> pipe(client, backend));
            pipe(backend, client);
            return;
        }
        close(client);
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side ended: end the other
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
