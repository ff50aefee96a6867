package io.pushgate.gateway.wiring;

import io.pushgate.gateway.redis.RedisConnectionLostFilter;
import io.pushgate.gateway.transport.AcceptedDuringShutdownFilter;
import io.quarkus.logging.LoggingFilter;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * The console log's filter ({@code quarkus.log.console.filter=gateway}; Quarkus takes one per
 * handler): the rules that keep known, handled conditions from looking like errors. Each rule
 * says why it exists.
 */
@LoggingFilter(name = "gateway")
public final class GatewayLogFilter implements Filter {

    private final List<Filter> rules = List.of(new AcceptedDuringShutdownFilter(), new RedisConnectionLostFilter());

    @Override
    public boolean isLoggable(LogRecord record) {
        for (Filter rule : rules) {
            if (!rule.isLoggable(record)) {
                return false;
            }
        }
        return true;
    }
}
