package io.pushgate.gateway.views;

/**
 * The listener of view definition changes, as every replica receives them from the
 * {@link ViewStore} (through {@code store.ChangeStream}).
 *
 * <p>Guarantees: the changes of one view arrive in the order the store applied them, from one
 * thread at a time; delivery is at most once, and after an interruption (and once, when the
 * stream begins) {@link #resync} says that every definition must be read again.
 */
public interface ViewChanges {

    /** A view was defined or replaced: {@code stored} is its stored {@link ViewDefinition} text. */
    void defined(String name, String stored);

    /** A view was removed. */
    void removed(String name);

    /** Changes may have been missed: read every definition again ({@link ViewStore#reload}). */
    void resync();
}
