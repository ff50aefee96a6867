package io.pushgate.gateway.topics;

/**
 * The listener of the topic store's change stream: every change to the topic tree, as every
 * replica receives it from the store (views and security definitions have listeners of their own,
 * {@code views.ViewChanges} and {@code security.SecurityChanges}, delivered by the same
 * {@code store.ChangeStream}).
 *
 * <p>Guarantees: per topic, changes arrive in the order the store applied them, and the seqs
 * of {@link #set} and {@link #event} are the ones the store assigned (strictly increasing per
 * topic; a receiver that sees a jump reloads the topic). Calls come from one thread at a time.
 * Delivery is at most once: after a lost connection the store calls {@link #resync} and the
 * receiver reloads everything; {@link #resync} is also the first call, once the stream is followed.
 */
public interface TopicChanges {

    void added(String path, TopicSpec spec);

    void set(String path, long seq, String valueText);

    /** A time series event (or an edit, with {@code editOf}) was appended. */
    void event(String path, long seq, long timeMillis, Long editOf, String author, String valueText);

    void removed(String path);

    /**
     * The changes delivered since the last call arrived together (one message of the store): a
     * receiver may hand on what they produced in one go here, in order. Called after every message.
     */
    default void endOfBatch() {
    }

    /** The change stream was interrupted (or has just begun): whatever was missed must be reloaded. */
    void resync();
}
