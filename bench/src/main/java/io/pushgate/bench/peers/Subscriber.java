package io.pushgate.bench.peers;

/** One subscribing connection. */
public interface Subscriber extends AutoCloseable {

    boolean isOpen();

    /** Why the server or the network ended the connection, or null while it is open or after {@link #close}. */
    String closeReason();

    @Override
    void close();
}
