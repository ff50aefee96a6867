package io.pushgate.gateway.topics;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The port to the shared state of all replicas: topic specs, values and seqs.
 *
 * <p>Changes reach every replica through the {@code store.ChangeStream} that comes with the
 * store, as {@link TopicChanges}.
 *
 * <p>Guarantees the gateway relies on:
 * <ul>
 *   <li>Each write is one atomic step in the store: assigning the seq, storing the value and
 *       publishing the change cannot interleave with another replica's write to the same topic,
 *       so every replica sees one order per topic.</li>
 *   <li>A write that completes successfully is stored; a write that fails was not stored
 *       (the gateway never acknowledges what it did not store), except for {@code UNAVAILABLE} (below).</li>
 *   <li>Failures complete the stage exceptionally with a
 *       {@link io.pushgate.protocol.ProtocolException}: {@code CONFLICT}, {@code NOT_FOUND},
 *       {@code INVALID}, {@code PERMISSION_DENIED} (an edit of another's event with {@code ownOnly}),
 *       or {@code UNAVAILABLE} when the store cannot be reached (then the write may or may not
 *       have been stored: the change stream says which).</li>
 *   <li>Seqs start at 1 per topic and grow by one with each set or append; a set with
 *       {@code ifSeq} succeeds only when the topic's seq is exactly that one.</li>
 *   <li>A value set on a topic that does not retain values ({@code DONT_RETAIN_VALUE}) is
 *       published but not stored: {@link #load} returns it with a null value.</li>
 *   <li>Writes made on one thread are applied in the order they were made.</li>
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
