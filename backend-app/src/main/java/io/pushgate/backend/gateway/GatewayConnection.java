package io.pushgate.backend.gateway;

import io.pushgate.backend.config.BackendConfig;
import io.pushgate.client.ConnectionState;
import io.pushgate.client.PushgateClient;
import io.pushgate.client.PushgateException;
import io.pushgate.support.backoff.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The one {@link PushgateClient} of the service. The library's {@code connect()} fails when the
 * gateway is not there, and a client that ends ({@code CLOSED}: a close code that means "do not
 * reconnect") stays ended; this class connects in the background with backoff until it has a client,
 * and builds a new one whenever that one ends, so the service starts, and stays up, whether or not
 * the gateway is. Listeners of {@link #onClient} get each new client (to subscribe on it).
 */
public final class GatewayConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GatewayConnection.class);

    private final URI wsUri;
    private final TokenSource tokens;
    private final Duration requestTimeout;
    private final Backoff backoff;
    private final ScheduledExecutorService connector;
    private final List<Consumer<PushgateClient>> listeners = new CopyOnWriteArrayList<>();

    private volatile PushgateClient client;
    private volatile boolean closed;

    public GatewayConnection(URI gatewayUrl, TokenSource tokens, BackendConfig.Retry retry, Duration requestTimeout) {
        this.wsUri = gatewayUrl.resolve("/v1/ws");
        this.tokens = tokens;
        this.requestTimeout = requestTimeout;
        this.backoff = Backoff.exponential(retry.initialDelay(), retry.maxDelay());
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "backend-gateway-connector");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts connecting (in the background). */
    public void start() {
        connector.execute(this::connect);
    }

    /** The connected client, or null while there is none (the gateway has not been reached yet). */
    public PushgateClient client() {
        return client;
    }

    /** Whether a client exists and its connection is up now. */
    public boolean connected() {
        PushgateClient c = client;
        return c != null && c.state() == ConnectionState.CONNECTED;
    }

    /** Calls the listener with the current client, if any, and with every new one. */
    public void onClient(Consumer<PushgateClient> listener) {
        listeners.add(listener);
        PushgateClient c = client;
        if (c != null) {
            listener.accept(c);
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            var builder = PushgateClient.builder(wsUri).requestTimeout(requestTimeout).connectTimeout(requestTimeout)
                    .reconnect(Duration.ofMillis(250), Duration.ofSeconds(5));
            if (tokens.enabled()) {
                builder.tokenSupplier(() -> {
                    try {
                        return tokens.current().orElse(null);
                    } catch (GatewayException e) {
                        LOG.warnf("no token for the gateway: %s", e.getMessage());
                        return null;
                    }
                });
            }
            PushgateClient c = builder.connect();
            c.onConnectionState(state -> stateChanged(c, state));
            backoff.reset();
            client = c;
            LOG.infof("connected to the gateway at %s", wsUri);
            for (Consumer<PushgateClient> listener : listeners) {
                try {
                    listener.accept(c);
                } catch (RuntimeException e) {
                    LOG.warn("a gateway client listener failed", e);
                }
            }
        } catch (PushgateException e) {
            if (e.code() == io.pushgate.protocol.ErrorCode.UNAUTHENTICATED) {
                tokens.invalidate();
            }
            Duration wait = backoff.next();
            LOG.warnf("cannot connect to the gateway at %s (%s); trying again in %s", wsUri, e.getMessage(), wait);
            connector.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            Duration wait = backoff.next();
            LOG.warnf(e, "cannot connect to the gateway at %s; trying again in %s", wsUri, wait);
            connector.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void stateChanged(PushgateClient c, ConnectionState state) {
        LOG.infof("gateway connection: %s", state);
        if (state == ConnectionState.CLOSED && !closed && c == client) {
            client = null;
            connector.execute(this::connect);
        }
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        PushgateClient c = client;
        client = null;
        if (c != null) {
            c.close();
        }
    }
}
