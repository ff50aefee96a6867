package io.pushgate.gateway.store;

import io.pushgate.gateway.topics.TopicSpec;

/**
 * The ordered stream of changes to the topic tree, as every replica receives it from the store.
 *
 * <p>Guarantees: per topic, changes arrive in the order the store applied them, and the seqs
 * of {@link #set} are the ones the store assigned (strictly increasing per topic; a receiver
 * that sees a jump reloads the topic). Delivery is at most once: after a lost connection the
 * store calls {@link #resync} and the receiver reloads everything.
 */
public interface TopicChanges {

    void added(String path, TopicSpec spec);

    void set(String path, long seq, String valueText);

    /** A time series event (or an edit, with {@code editOf}) was appended. */
    void event(String path, long seq, long timeMillis, Long editOf, String author, String valueText);

    void removed(String path);

    /** A view was defined or replaced ({@code text}), or removed ({@code text} null). */
    default void view(String name, String text) {
    }

    /** A security definition changed: a role ({@code O}/{@code o}) or a principal ({@code U}/{@code u}). */
    default void security(char kind, String name, String json) {
    }

    /**
     * The changes delivered since the last call arrived together (one message of the store): a
     * receiver may hand on what they produced in one go here, in order. Called after every message.
     */
    default void endOfBatch() {
    }

    /** The change stream was interrupted: whatever was missed must be reloaded. */
    void resync();
}
