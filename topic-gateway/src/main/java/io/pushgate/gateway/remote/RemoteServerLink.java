package io.pushgate.gateway.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.client.ConnectionState;
import io.pushgate.client.PushgateClient;
import io.pushgate.client.PushgateClientBuilder;
import io.pushgate.client.Subscription;
import io.pushgate.client.ValueListener;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.gateway.views.RemoteSources;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.support.backoff.Backoff;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one connection of this gateway to one remote server, shared by every feed (every remote
 * view) that follows topics there: each feed is a subscription of its selector on that one
 * {@link PushgateClient}.
 *
 * <p>While no feed is open there is no connection. The first feed starts connecting; until the
 * server answers, attempts repeat with backoff ({@code reconnect-min-delay} doubling up to
 * {@code reconnect-max-delay}) and every feed is dormant. Once connected the client keeps the
 * connection itself: when it drops the feeds are told {@code disconnected()}, when it is back
 * {@code connected()}, and the client's renewed subscriptions hand over the current values again.
 * A client that ends for good (the server closed with a code that means "do not reconnect") is
 * replaced by a new one, with the same backoff. The last feed closed closes the connection.
 *
 * <p>Threads: everything that changes the link's state, and every call of a feed's listener, runs
 * on the link's own thread ({@code pushgate-remote-<name>}), one at a time, in the order the
 * client reported it; blocking connection attempts run on a second thread, so that feeds opened
 * or closed meanwhile wait for nothing.
 */
final class RemoteServerLink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RemoteServerLink.class);

    private final RemoteServerSettings settings;
    private final Supplier<String> tokens;
    private final ScheduledExecutorService events;
    private final ExecutorService connector;

    // The link's thread only:
    private final Set<RemoteFeed> feeds = new LinkedHashSet<>();
    private PushgateClient client;
    private boolean connected;
    private boolean connecting;
    private int failedAttempts;
    private ScheduledFuture<?> retry;
    private boolean closed;

    /**
     * @param tokens where each connection attempt gets its bearer token; null for none (anonymous)
     */
    RemoteServerLink(RemoteServerSettings settings, Supplier<String> tokens) {
        this.settings = settings;
        this.tokens = tokens;
        this.events = Executors.newSingleThreadScheduledExecutor(daemon("pushgate-remote-" + settings.name()));
        this.connector = Executors.newSingleThreadExecutor(daemon("pushgate-remote-" + settings.name() + "-connect"));
    }

    String name() {
        return settings.name();
    }

    /** Starts a feed: see {@link RemoteSources#follow}. */
    RemoteSources.Feed follow(String selector, RemoteSources.Listener listener) {
        RemoteFeed feed = new RemoteFeed(selector, listener);
        if (!post(() -> add(feed))) {
            listener.disconnected(); // closed: dormant for good
        }
        return feed;
    }

    /** Whether the link holds a connection that answers now (for tests and logs). */
    CompletableFuture<Boolean> isConnected() {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        if (!post(() -> answer.complete(connected))) {
            answer.complete(false);
        }
        return answer;
    }

    @Override
    public void close() {
        post(() -> {
            closed = true;
            feeds.forEach(f -> f.closed = true);
            feeds.clear();
            cancelRetry();
            if (client != null) {
                client.close();
                client = null;
            }
            connected = false;
        });
        events.shutdown();
        connector.shutdownNow();
    }

    // ---------------------------------------------------------------- feeds (link thread)

    private void add(RemoteFeed feed) {
        if (closed || feed.closed) {
            call(feed, RemoteSources.Listener::disconnected);
            return;
        }
        feeds.add(feed);
        if (connected) {
            call(feed, RemoteSources.Listener::connected);
            subscribe(feed);
        } else {
            call(feed, RemoteSources.Listener::disconnected);
            connectSoon();
        }
    }

    private void remove(RemoteFeed feed) {
        if (!feeds.remove(feed)) {
            return;
        }
        closeSubscription(feed);
        if (feeds.isEmpty()) {
            // Behind whatever is queued: a view that restarts closes its feed and opens another at
            // once, and that one should find the connection still open.
            post(this::closeIfIdle);
        }
    }

    private void closeIfIdle() {
        if (!feeds.isEmpty() || closed) {
            return;
        }
        cancelRetry();
        failedAttempts = 0;
        if (client != null) {
            LOG.infof("no view follows remote server %s any more: closing its connection", settings.name());
            client.close();
            client = null;
        }
        connected = false;
    }

    private void subscribe(RemoteFeed feed) {
        PushgateClient c = client;
        feed.subscription = c.subscribe(feed.selector, new FeedListener(feed, c));
        feed.subscription.whenComplete((sub, error) -> {
            if (error != null) {
                LOG.warnf("remote server %s refused the selector '%s' of a view: %s (asked again on the next connection)",
                        settings.name(), feed.selector, error.getMessage());
            }
        });
    }

    private static void closeSubscription(RemoteFeed feed) {
        CompletableFuture<Subscription> sub = feed.subscription;
        feed.subscription = null;
        if (sub != null) {
            sub.thenAccept(Subscription::close); // when acknowledged, if it is not yet
        }
    }

    private static boolean isLive(CompletableFuture<Subscription> sub) {
        return sub != null && (!sub.isDone() || (!sub.isCompletedExceptionally() && sub.join().isOpen()));
    }

    // ---------------------------------------------------------------- connection (link thread)

    private void connectSoon() {
        if (closed || client != null || connecting || retry != null || feeds.isEmpty()) {
            return;
        }
        connecting = true;
        PushgateClientBuilder builder = PushgateClient.builder(settings.urls())
                .reconnect(settings.reconnectMinDelay(), settings.reconnectMaxDelay())
                .connectTimeout(settings.connectTimeout())
                .requestTimeout(settings.requestTimeout())
                .pingInterval(settings.pingInterval());
        if (tokens != null) {
            builder.tokenSupplier(tokens);
        }
        try {
            connector.execute(() -> {
                try {
                    PushgateClient c = builder.connect();
                    if (!post(() -> attached(c))) {
                        c.close();
                    }
                } catch (RuntimeException e) {
                    post(() -> attemptFailed(e));
                }
            });
        } catch (RejectedExecutionException e) {
            connecting = false; // closing
        }
    }

    private void attemptFailed(RuntimeException error) {
        connecting = false;
        failedAttempts++;
        if (closed || feeds.isEmpty()) {
            return;
        }
        long delay = delayMillis(failedAttempts);
        if (failedAttempts == 1) {
            LOG.warnf("remote server %s does not answer (%s): its views stay dormant; trying again every %s at most",
                    settings.name(), error.getMessage(), settings.reconnectMaxDelay());
        } else {
            LOG.debugf("remote server %s: attempt %d failed (%s), next in %d ms", settings.name(), failedAttempts, error.getMessage(), delay);
        }
        scheduleRetry(delay);
    }

    private void scheduleRetry(long delayMillis) {
        try {
            retry = events.schedule(() -> {
                retry = null;
                connectSoon();
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    /** A random wait between half and all of min * 2^(attempt - 1), at most the max (jitter, so that edges do not return together). */
    private long delayMillis(int attempt) {
        return Math.max(1, Backoff.withEqualJitter(settings.reconnectMinDelay(), settings.reconnectMaxDelay())
                .delay(attempt - 1).toMillis());
    }

    private void attached(PushgateClient c) {
        connecting = false;
        if (closed || feeds.isEmpty()) {
            c.close();
            return;
        }
        client = c;
        LOG.infof("connected to remote server %s at %s (%s)", settings.name(), c.uri(), settings.login() == null ? "anonymous" : settings.login());
        c.onConnectionState(state -> post(() -> stateChanged(c, state)));
        // The state may have moved between connect() and the line above: its changes since are queued behind this.
        stateChanged(c, c.state());
    }

    private void stateChanged(PushgateClient c, ConnectionState state) {
        if (c != client || closed) {
            return;
        }
        switch (state) {
            case CONNECTED -> {
                failedAttempts = 0;
                if (connected) {
                    return;
                }
                connected = true;
                for (RemoteFeed feed : List.copyOf(feeds)) {
                    feed.live.clear();
                    call(feed, RemoteSources.Listener::connected);
                    // The client renews its open subscriptions itself; one it refused is asked for again.
                    if (!isLive(feed.subscription) && feeds.contains(feed)) {
                        subscribe(feed);
                    }
                }
            }
            case RECONNECTING -> {
                LOG.warnf("lost the connection to remote server %s: its views are dormant until it answers again", settings.name());
                goDormant();
            }
            case CLOSED -> {
                LOG.warnf("remote server %s ended the connection for good: connecting again", settings.name());
                goDormant();
                client = null;
                feeds.forEach(f -> f.subscription = null);
                failedAttempts++;
                scheduleRetry(delayMillis(failedAttempts));
            }
        }
    }

    private void goDormant() {
        if (!connected) {
            return;
        }
        connected = false;
        for (RemoteFeed feed : List.copyOf(feeds)) {
            feed.live.clear();
            call(feed, RemoteSources.Listener::disconnected);
        }
    }

    // ---------------------------------------------------------------- values (client thread, then link thread)

    /** One feed's subscription on one client: hands what it gets to the link's thread. */
    private final class FeedListener implements ValueListener {
        private final RemoteFeed feed;
        private final PushgateClient on;
        private boolean toldOfEvents;

        FeedListener(RemoteFeed feed, PushgateClient on) {
            this.feed = feed;
            this.on = on;
        }

        @Override
        public void onValue(String topic, JsonNode spec, long seq, JsonNode value) {
            if (feed.closed) {
                return;
            }
            TopicType type;
            TopicValue topicValue;
            try {
                type = TopicType.valueOf(spec.path("type").asText("").toUpperCase(Locale.ROOT));
                // Through the text: the client patches the node it holds when the next delta comes.
                topicValue = type == TopicType.JSON ? TopicValue.fromText(type, Json.write(value)) : TopicValue.fromJson(type, value);
            } catch (RuntimeException e) {
                LOG.warnf("remote server %s: ignored %s@%d, whose value does not fit its spec %s: %s",
                        settings.name(), topic, seq, spec, e.getMessage());
                return;
            }
            post(() -> delivered(feed, on, topic, type, topicValue));
        }

        /** Only time series events come here (values come with their spec above): remote views do not map them. */
        @Override
        public void onValue(String topic, long seq, JsonNode value) {
            if (!toldOfEvents) {
                toldOfEvents = true;
                LOG.infof("remote server %s: the time series %s matches the selector '%s' of a view; remote views map ordinary topics only",
                        settings.name(), topic, feed.selector);
            }
        }

        @Override
        public void onUnsubscribed(String topic, String reason) {
            post(() -> unsubscribed(feed, on, topic));
        }
    }

    private void delivered(RemoteFeed feed, PushgateClient on, String path, TopicType type, TopicValue value) {
        if (feed.closed || on != client || !connected) {
            return;
        }
        feed.live.add(path);
        call(feed, l -> l.value(path, type, value));
    }

    private void unsubscribed(RemoteFeed feed, PushgateClient on, String path) {
        // Only topics handed over since the feed was last told connected(): the view dropped the others when it went dormant.
        if (!feed.closed && on == client && feed.live.remove(path)) {
            call(feed, l -> l.removed(path));
        }
    }

    private void call(RemoteFeed feed, Consumer<RemoteSources.Listener> event) {
        if (feed.closed) {
            return;
        }
        try {
            event.accept(feed.listener);
        } catch (RuntimeException e) {
            LOG.warnf(e, "a view's listener of remote server %s failed", settings.name());
        }
    }

    // ---------------------------------------------------------------- helpers

    private boolean post(Runnable task) {
        try {
            events.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** A view's feed: one selector followed on this link. */
    private final class RemoteFeed implements RemoteSources.Feed {
        final String selector;
        final RemoteSources.Listener listener;
        /** Link thread: the subscription on the current client, null when there is none. */
        CompletableFuture<Subscription> subscription;
        /** Link thread: the paths handed over since {@code connected()}, so that {@code removed} names only those. */
        final Set<String> live = new HashSet<>();
        volatile boolean closed;

        RemoteFeed(String selector, RemoteSources.Listener listener) {
            this.selector = selector;
            this.listener = listener;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true; // nothing reaches the listener from now on
            post(() -> remove(this));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
