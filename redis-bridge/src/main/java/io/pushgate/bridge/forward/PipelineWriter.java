package io.pushgate.bridge.forward;

import io.pushgate.bridge.config.BridgeConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Appends forwarded records to the pipeline stream: {@code XADD <out-stream> MAXLEN ~ <n> * source .. channel .. data .. receivedAt ..}. */
@ApplicationScoped
public class PipelineWriter {

    private final ReactiveStreamCommands<String, String, byte[]> streams;
    private final String outStream;
    private final long maxlen;

    public PipelineWriter(ReactiveRedisDataSource redis, BridgeConfig config) {
        this.streams = redis.stream(String.class, String.class, byte[].class);
        this.outStream = config.forward().outStream();
        this.maxlen = config.forward().outMaxlen();
    }

    /** Completes with the new entry's id once Redis has appended it. */
    public Uni<String> append(ForwardRecord record) {
        // "~" lets Redis trim whole radix-tree nodes, far cheaper than an exact cap
        return streams.xadd(outStream, new XAddArgs().maxlen(maxlen).nearlyExactTrimming(), record.fields());
    }
}
