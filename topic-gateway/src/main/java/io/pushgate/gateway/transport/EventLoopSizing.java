package io.pushgate.gateway.transport;

import io.quarkus.vertx.VertxOptionsCustomizer;
import io.vertx.core.VertxOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * One Vert.x event loop per CPU the process may run on, unless
 * {@code quarkus.vertx.event-loops-pool-size} says otherwise.
 *
 * <p>Vert.x's default is two per CPU, for applications that block now and then. Nothing of the
 * gateway blocks an event loop, and the fan-out writes from each loop to its own connections: with
 * more loops than CPUs the loops only take the CPU from each other, and an update handed from one
 * loop to the next waits for the scheduler. Measured with the gateway pinned to one CPU, fan-out
 * only (bench/results/experiments/, fanout-20261123-030606 with two loops and -034217 with one):
 * batched frames 1.6M → 1.9M deliveries/s; one message per frame 168k → 283k in that run, but
 * 168k again in the two runs after it, so no gain there is claimed.
 */
@ApplicationScoped
public class EventLoopSizing implements VertxOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(EventLoopSizing.class);

    @Override
    public void accept(VertxOptions options) {
        if (ConfigProvider.getConfig().getOptionalValue("quarkus.vertx.event-loops-pool-size", Integer.class).isPresent()) {
            return;
        }
        int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
        options.setEventLoopPoolSize(cpus);
        LOG.debugf("%d event loops, one per CPU", cpus);
    }
}
