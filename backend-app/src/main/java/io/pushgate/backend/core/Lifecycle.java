package io.pushgate.backend.core;

import io.pushgate.backend.config.BackendConfig;
import io.pushgate.backend.gateway.GatewayConnection;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.backend.moderation.Moderator;
import io.pushgate.backend.prices.PriceFlow;
import io.pushgate.backend.prices.PricePublisher;
import io.pushgate.backend.prices.StreamConsumer;
import io.pushgate.backend.write.GatewayWriter;
import io.pushgate.backend.write.WriteOp;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Starts the parts in order (the writer; the moderator and the reading back of the price state,
 * both waiting for the first connection; the connection to the gateway; the stream consumer) and
 * stops them in the reverse order. Also restarts the consumer on demand, as after a crash: what it
 * had read and not written is read again.
 */
@ApplicationScoped
public class Lifecycle {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class);

    private final BackendConfig config;
    private final GatewayWriter writer;
    private final GatewayConnection connection;
    private final PricePublisher publisher;
    private final PriceFlow prices;
    private final StreamConsumer consumer;
    private final Moderator moderator;
    private volatile boolean prepared;
    private volatile boolean prepareSubmitted;

    public Lifecycle(BackendConfig config, GatewayWriter writer, GatewayConnection connection, PricePublisher publisher, PriceFlow prices,
            StreamConsumer consumer, Moderator moderator) {
        this.config = config;
        this.writer = writer;
        this.connection = connection;
        this.publisher = publisher;
        this.prices = prices;
        this.consumer = consumer;
        this.moderator = moderator;
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("gateway %s, %s", config.gatewayUrl(), config.authUrl().map(u -> "tokens from " + u).orElse("no token (anonymous)"));
        writer.start();
        // read the price state back as soon as there is a connection (not before: that would only fail)
        connection.onClient(client -> {
            if (!prepareSubmitted) {
                prepareSubmitted = true;
                writer.submit(prepare());
            }
        });
        moderator.start();
        connection.start();
        if (config.stream().enabled()) {
            consumer.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        consumer.stop();
        moderator.stop();
        writer.stop();
    }

    /** True once the price state was read back from the gateway (so it was reached at least once). */
    public boolean prepared() {
        return prepared;
    }

    /**
     * Stops consuming the pipeline stream, as a crash would: prices read and not yet written are
     * forgotten (they stay pending in the stream), and the state is read back from the gateway
     * before the next price. Returns how many prices were read and not yet written.
     */
    public int stopConsumer() throws InterruptedException {
        consumer.stop();
        int withdrawn = prices.withdrawWaiting().size();
        LOG.infof("stopped consuming; %d prices read and not written stay pending", withdrawn);
        return withdrawn;
    }

    /** Starts consuming again: pending entries first. */
    public void startConsumer() {
        writer.submit(new WriteOp() {
            @Override
            public boolean droppable() {
                return false;
            }

            @Override
            public void run(GatewayPort gateway) {
                publisher.reset();
            }

            @Override
            public boolean givesUpOn(GatewayException failure) {
                return false;
            }

            @Override
            public void done() {
                consumer.start();
            }

            @Override
            public String describe() {
                return "restart of the consumer";
            }
        });
    }

    private WriteOp prepare() {
        return new WriteOp() {
            @Override
            public boolean droppable() {
                return false;
            }

            @Override
            public void run(GatewayPort gateway) {
                publisher.recover(gateway);
            }

            @Override
            public boolean givesUpOn(GatewayException failure) {
                return false;
            }

            @Override
            public void done() {
                prepared = true;
            }

            @Override
            public String describe() {
                return "reading the price state back from the gateway";
            }
        };
    }
}
