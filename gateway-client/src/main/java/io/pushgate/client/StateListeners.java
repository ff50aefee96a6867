package io.pushgate.client;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The connection's state and who is told when it changes: written on the event thread, read anywhere. */
final class StateListeners {

    private static final System.Logger LOG = System.getLogger(PushgateClient.class.getName());

    private final List<Consumer<ConnectionState>> listeners = new CopyOnWriteArrayList<>();
    private volatile ConnectionState state = ConnectionState.CONNECTED;

    ConnectionState state() {
        return state;
    }

    /** Adds a listener of the changes from now on. */
    void add(Consumer<ConnectionState> listener) {
        listeners.add(listener);
    }

    /** On the event thread: the state is {@code next}; each listener is told if it changed. */
    void set(ConnectionState next) {
        if (state == next) {
            return;
        }
        state = next;
        for (Consumer<ConnectionState> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a connection state listener failed", e);
            }
        }
    }
}
