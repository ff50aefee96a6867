package io.pushgate.gateway.memory;

import static org.awaitility.Awaitility.await;

import io.pushgate.gateway.security.SecurityFollower;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.sessions.Frame;
import io.pushgate.gateway.sessions.GatewayStats;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.Outbound;
import io.pushgate.gateway.sessions.RequestDispatcher;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.replication.TopicMirror;
import io.pushgate.gateway.store.ChangeListeners;
import io.pushgate.gateway.operations.TopicService;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The gateway's core (tree, hub, mirror, topic service, dispatcher) on the memory stores, as the
 * wiring builds it, with no transport and no Redis: for unit tests of the applier, the topic
 * service and the dispatcher through their public methods. Clients are sessions whose frames are
 * recorded, each on its own single thread (as a connection is on its event loop).
 */
public final class MemoryGateway implements AutoCloseable {

    public final MemoryStores stores = new MemoryStores("mem");
    public final TopicTree tree = new TopicTree();
    public final GatewayStats stats = new GatewayStats();
    public final Hub hub = new Hub(tree, stats, stores.history());
    public final TopicMirror mirror = new TopicMirror(tree, hub, stores.topics());
    public final TopicService topics;
    public final RequestDispatcher dispatcher;
    private final List<Client> clients = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    public MemoryGateway() {
        this(new TopicService.Limits(100, 1 << 16));
    }

    public MemoryGateway(TopicService.Limits limits) {
        topics = new TopicService(tree, stores.topics(), limits, mirror, stores.history());
        dispatcher = new RequestDispatcher(topics, stats, 1 << 20, 64,
                token -> CompletableFuture.failedFuture(new ProtocolException(ErrorCode.UNAUTHENTICATED, "no tokens here")));
    }

    /** Starts following the memory change stream, as the gateway does at start; returns once the mirror is ready. */
    public MemoryGateway start() {
        stores.changes().listen(ChangeListeners.of(mirror, ChangeListeners.topicsOnly(mirror).views(),
                new SecurityFollower(new SecurityService(List.of()), stores.security())));
        await().atMost(Duration.ofSeconds(5)).until(mirror::isReady);
        return this;
    }

    /** A client session. */
    public Client connect() {
        Client client = new Client(ids.incrementAndGet());
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(c -> c.loop.shutdownNow());
        stores.close();
    }

    /** A session and the frames it was sent. */
    public final class Client implements Outbound {

        private final ExecutorService loop;
        private final List<Frame> frames = new ArrayList<>();
        public final Session session;

        Client(long id) {
            loop = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "client-" + id);
                t.setDaemon(true);
                return t;
            });
            session = new Session(id, hub, this, DeltaFormat.JSON_PATCH, new Session.Limits(30_000_000_000L, 100), System::nanoTime);
        }

        /** Sends a request frame, as a transport hands one on, on the session's thread. */
        public void request(String text) {
            loop.execute(() -> dispatcher.handle(session, text));
        }

        @Override
        public synchronized void send(Frame frame) {
            frames.add(frame);
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public java.util.concurrent.Executor executor() {
            return loop;
        }

        /** The texts of the frames so far. */
        public synchronized List<String> texts() {
            return frames.stream().map(Frame::text).toList();
        }

        /** Waits for a frame whose text matches, and returns it. */
        public String await(Predicate<String> matching) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> texts().stream().anyMatch(matching));
            return texts().stream().filter(matching).findFirst().orElseThrow();
        }

        /** Waits for the reply to the request with this id. */
        public String reply(int id) {
            return await(t -> t.contains("\"id\":" + id + ",") || t.contains("\"id\":" + id + "}"));
        }
    }
}
