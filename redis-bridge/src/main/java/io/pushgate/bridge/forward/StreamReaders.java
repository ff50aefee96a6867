package io.pushgate.bridge.forward;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.bridge.config.BridgeConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** One {@link StreamReader} per configured input stream, started with the service and stopped with it. */
@ApplicationScoped
public class StreamReaders {

    private final RedisDataSource redis;
    private final ForwardQueue queue;
    private final ForwardMeters meters;
    private final BridgeConfig.Forward config;
    private final ObjectMapper mapper;
    private final List<StreamReader> readers = new ArrayList<>(); // guarded by this

    public StreamReaders(RedisDataSource redis, ForwardQueue queue, ForwardMeters meters, BridgeConfig config, ObjectMapper mapper) {
        this.redis = redis;
        this.queue = queue;
        this.meters = meters;
        this.config = config.forward();
        this.mapper = mapper;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stop();
    }

    /** Starts a reader per stream (fresh state: each begins with its pending entries). No-op if running. */
    public synchronized void start() {
        if (!readers.isEmpty()) {
            return;
        }
        for (String stream : config.streams()) {
            StreamReader reader = new StreamReader(stream, redis.stream(String.class, String.class, byte[].class),
                    queue, meters, config, mapper, Clock.systemUTC());
            readers.add(reader);
            reader.start();
        }
    }

    /** Stops every reader and waits for them; what they read and did not acknowledge stays pending in Redis. */
    public synchronized void stop() throws InterruptedException {
        for (StreamReader reader : readers) {
            reader.stop();
        }
        readers.clear();
    }
}
