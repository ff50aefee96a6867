package io.pushgate.gateway.store;

import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicValue;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The port to the shared state of all replicas: topic specs, values and seqs.
 *
 * <p>Guarantees the gateway relies on:
 * <ul>
 *   <li>Each write is one atomic step in the store: assigning the seq, storing the value and
 *       publishing the change cannot interleave with another replica's write to the same topic,
 *       so every replica sees one order per topic.</li>
 *   <li>A write that completes successfully is stored; a write that fails was not stored
 *       (the gateway never acknowledges what it did not store).</li>
 *   <li>Failures complete the stage exceptionally with a
 *       {@link io.pushgate.protocol.ProtocolException}: {@code CONFLICT}, {@code NOT_FOUND},
 *       {@code INVALID}, or {@code UNAVAILABLE} when the store cannot be reached.</li>
 * </ul>
 */
public interface TopicStore {

    /** Adds a topic: true if created, false if it existed with the same spec; CONFLICT otherwise. */
    CompletionStage<Boolean> add(String path, TopicSpec spec);

    /**
     * Sets a topic's value and returns the seq it got. With {@code addSpec}, adds the topic
     * first if it does not exist (CONFLICT if it exists with another spec). With {@code ifSeq},
     * sets only if the current seq is that one (CONFLICT otherwise). NOT_FOUND without a topic.
     */
    CompletionStage<Long> set(String path, TopicValue value, TopicSpec addSpec, Long ifSeq);

    /**
     * Appends an event to a time series, or with {@code editOf} an edit of one of its events
     * ({@code ownOnly}: only if the original's author is {@code author}); returns its seq.
     * {@code spec} must be the topic's spec (CONFLICT if it was replaced meanwhile).
     */
    CompletionStage<Long> append(String path, TopicSpec spec, TopicValue value, String author, Long editOf, boolean ownOnly);

    /**
     * Raises a topic's seq to {@code floor} if the store holds a lower one (the store went back
     * behind what replicas applied: a failed-over Redis master that had not replicated its last
     * writes). A retained value is published again at the floor. True when raised.
     */
    CompletionStage<Boolean> raiseSeq(String path, long floor);

    /** Removes a topic: true if it existed. */
    CompletionStage<Boolean> remove(String path);

    CompletionStage<Optional<StoredTopic>> load(String path);

    CompletionStage<List<StoredTopic>> loadAll();

    /** Starts delivering changes to the listener; completes once it is listening. */
    CompletionStage<Void> listen(TopicChanges listener);

    /**
     * Flow control: true when writes made on the caller's thread wait for the store faster than it
     * takes them. A transport then stops reading its client's requests until {@link #whenCaughtUp}
     * calls back, so that a client that writes faster than the store is slowed down (by TCP), not
     * refused, and the gateway's memory stays bounded.
     */
    default boolean isBehind() {
        return false;
    }

    /** Calls {@code resume} (on the caller's event loop) once the store has caught up with the caller's writes. */
    default void whenCaughtUp(Runnable resume) {
        resume.run();
    }
}
