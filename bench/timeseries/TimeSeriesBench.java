import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time series figures through one gateway (run by bench/timeseries/run.sh, which starts Redis and
 * the gateway and fills the big stream): (1) appends per second from several WebSocket clients,
 * each keeping a window of requests in flight; (2) the latency of {@code range fromLast 100} on a
 * stream of 1,000,000 events, one request at a time. JDK only, run with the source launcher.
 */
public class TimeSeriesBench {

    public static void main(String[] args) throws Exception {
        String ws = args[0];
        int seconds = Integer.parseInt(args[1]);
        String bigTopic = args[2];
        double appendsPerSecond = appends(ws, 4, 256, seconds);
        double[] latency = rangeLatency(ws, bigTopic, 300);
        System.out.printf(Locale.ROOT, "{\"appendsPerSecond\": %.0f, \"appendClients\": 4, \"window\": 256, \"seconds\": %d,"
                        + " \"fromLast100\": {\"requests\": 300, \"p50ms\": %.2f, \"p90ms\": %.2f, \"p99ms\": %.2f, \"maxms\": %.2f}}%n",
                appendsPerSecond, seconds, latency[0], latency[1], latency[2], latency[3]);
    }

    static double appends(String url, int clients, int window, int seconds) throws Exception {
        AtomicLong oks = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try {
                    Semaphore inFlight = new Semaphore(window);
                    Socket s = new Socket(url, m -> {
                        if (m.contains("\"type\":\"ok\"")) {
                            oks.incrementAndGet();
                        } else if (m.contains("\"type\":\"error\"")) {
                            errors.incrementAndGet();
                        }
                        inFlight.release();
                    });
                    long i = 0;
                    while (System.nanoTime() < end) {
                        inFlight.acquire();
                        s.send("{\"op\":\"append\",\"id\":" + i + ",\"topic\":\"bench/chat\",\"value\":{\"client\":" + client + ",\"i\":" + (i++)
                                + ",\"text\":\"hello, this is a chat message of a realistic size\"}}");
                    }
                    inFlight.acquire(window);
                    s.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(t);
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (errors.get() > 0) {
            System.err.println(errors.get() + " appends failed");
        }
        return oks.get() / elapsed;
    }

    static double[] rangeLatency(String url, String topic, int requests) throws Exception {
        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        Socket s = new Socket(url, replies::add);
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < requests + 20; i++) {
            long t0 = System.nanoTime();
            s.send("{\"op\":\"range\",\"id\":" + i + ",\"topic\":\"" + topic + "\",\"fromLast\":100}");
            String reply = replies.poll(10, TimeUnit.SECONDS);
            if (reply == null || !reply.contains("\"type\":\"range\"")) {
                throw new IllegalStateException("range failed: " + reply);
            }
            if (i >= 20) {
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        s.close();
        Collections.sort(ms);
        return new double[] {ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.9)), ms.get((int) (ms.size() * 0.99)), ms.get(ms.size() - 1)};
    }

    /** A minimal JSON-text WebSocket client. */
    static final class Socket implements WebSocket.Listener {
        private final WebSocket ws;
        private final java.util.function.Consumer<String> onMessage;
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

        Socket(String url, java.util.function.Consumer<String> onMessage) {
            this.onMessage = onMessage;
            this.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), this).join();
        }

        synchronized void send(String text) {
            sending = sending.thenCompose(w -> ws.sendText(text, true));
        }

        void close() {
            sending.join();
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                onMessage.accept(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

}
