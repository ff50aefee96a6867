package io.pushgate.gateway.topics;

import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Read-your-writes on one gateway: a write is stored in Redis first and reaches this gateway's
 * tree a moment later, through the change stream like every other replica's writes. Before
 * acknowledging a write, the gateway waits here until its own tree shows it, so that a client
 * that gets {@code ok} and then fetches sees its write, and a client subscribed to the topic
 * gets the update before the {@code ok}.
 */
public interface AppliedChanges {

    /**
     * Completes once the topic at {@code path} (null when there is none) satisfies the
     * condition, or after a short bound if the change stream is late: the write is stored
     * either way, so the acknowledgement is never false.
     */
    CompletionStage<Void> awaitApplied(String path, Predicate<Topic> condition);
}
