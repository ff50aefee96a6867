package io.pushgate.gateway.transport;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops one known, harmless warning while the gateway stops, and only then.
 *
 * <p>When Quarkus closes the HTTP server, Vert.x removes the server's event loops a moment before
 * it closes the listening socket. A connection accepted in that window cannot be registered
 * anywhere: Netty resets it and logs {@code WARN Failed to register an accepted channel} with a
 * full stack trace. Under a reconnect storm (thousands of clients told to reconnect, some of
 * them coming straight back) that is dozens of stack traces for what is expected behaviour: the
 * client gets a reset, as it would from a closed port, and reconnects to another replica. The
 * warning is kept outside shutdown, where it would mean something. One of the rules of
 * {@link io.pushgate.gateway.wiring.GatewayLogFilter}.
 */
public final class AcceptedDuringShutdownFilter implements Filter {

    private static final String LOGGER = "io.netty.bootstrap.ServerBootstrap";
    private static final String MESSAGE = "Failed to register an accepted channel";
    private static volatile boolean stopping;

    /** Called once the gateway begins to stop: from then on the warning is expected. */
    public static void stopping() {
        stopping = true;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (stopping && LOGGER.equals(record.getLoggerName())
                && record.getMessage() != null && record.getMessage().startsWith(MESSAGE)) {
            return false;
        }
        return true;
    }
}
