package io.pushgate.feeder.publish;

import io.pushgate.feeder.config.FeederConfig;
import io.pushgate.feeder.sources.PriceDocument;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.redis.datasource.transactions.TransactionResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * {@link PricePublisher} on Redis: {@code MULTI; XADD stream MAXLEN ~ n * data <json>; PUBLISH channel <json>; EXEC}.
 *
 * <p>On a Redis Cluster the transaction has one key, the stream, so it runs on the master owning
 * the stream's slot; {@code PUBLISH} has none, and the cluster delivers it to the subscribers of
 * every node. The Vert.x cluster client needs {@code quarkus.redis.cluster-transactions=single-node}
 * for it (set in {@code application.properties}): the deferred {@code MULTI} is sent with the
 * {@code XADD}, to the stream's master, and the rest follows on that connection.
 */
@ApplicationScoped
public class RedisPricePublisher implements PricePublisher {

    /** The stream entry's only field: the document as published on the channel. */
    public static final String DATA_FIELD = "data";

    private final RedisDataSource redis;
    private final FeederConfig config;

    public RedisPricePublisher(RedisDataSource redis, FeederConfig config) {
        this.redis = redis;
        this.config = config;
    }

    @Override
    public void publish(PriceDocument document) {
        String json = document.json().toString();
        // "~" lets Redis trim whole radix-tree nodes, which is far cheaper than an exact cap.
        XAddArgs cap = new XAddArgs().maxlen(config.streamMaxlen()).nearlyExactTrimming();
        TransactionResult result = redis.withTransaction(tx -> {
            tx.stream(String.class).xadd(config.stream(), cap, Map.of(DATA_FIELD, json));
            tx.execute("PUBLISH", config.channel(), json);
        });
        if (result.discarded()) {
            throw new IllegalStateException("Redis discarded the transaction publishing to " + config.channel());
        }
    }
}
