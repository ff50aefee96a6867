package io.pushgate.feeder.feed;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushgate.feeder.config.FeederConfig;
import io.pushgate.feeder.sources.PriceDocument;
import io.pushgate.feeder.sources.PriceSource;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.channels.ClosedByInterruptException;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Retries and the circuit breaker around a fetch, built with SmallRye Fault Tolerance's
 * programmatic API rather than annotations, so that every value comes from {@code feeder.*}
 * (annotations would take theirs from separate MicroProfile keys).
 *
 * <p>Retry is outside the circuit breaker (SmallRye's fixed order), so each attempt counts in
 * the breaker's window, and a retry stops at once when the breaker is open instead of
 * sleeping through backoff only to be refused again. Timeouts are the HTTP client's.
 */
@ApplicationScoped
public class SourceGuard {

    /** The circuit breaker's name, for {@link CircuitBreakerMaintenance}. */
    public static final String CIRCUIT = "feeder-source";

    private static final Logger LOG = Logger.getLogger(SourceGuard.class);

    private final Guard guard;
    private final CircuitBreakerMaintenance circuits;

    public SourceGuard(FeederConfig config, CircuitBreakerMaintenance circuits, MeterRegistry registry) {
        FeederConfig.Retry retry = config.retry();
        FeederConfig.CircuitBreaker breaker = config.circuitBreaker();
        this.guard = Guard.create()
                .withDescription("price source")
                .withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(retry.delay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(retry.jitter().toMillis(), ChronoUnit.MILLIS)
                    // Neither an open circuit nor a stop interrupting the fetch is worth another attempt.
                    .whenException(e -> !(e instanceof CircuitBreakerOpenException) && !isInterruption(e))
                    .withExponentialBackoff()
                        .factor(retry.factor())
                        .maxDelay(retry.maxDelay().toMillis(), ChronoUnit.MILLIS)
                        .done()
                    .done()
                .withCircuitBreaker()
                    .name(CIRCUIT)
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    // A stop that interrupts a fetch says nothing about the API: counted as a failure,
                    // a few quick stop/starts would open the circuit against a healthy API.
                    .when(e -> !isInterruption(e))
                    .onStateChange(state -> LOG.infof("circuit to the price source is now %s", state))
                    .done()
                .build();
        this.circuits = circuits;
        Gauge.builder("feeder.circuit.open", this, g -> g.circuitState() == CircuitBreakerState.CLOSED ? 0 : 1)
                .description("1 while the circuit to the price source is open or half-open").register(registry);
    }

    /** Whether {@code error} is the fetching thread being interrupted rather than the API failing. */
    static boolean isInterruption(Throwable error) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException || cause instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /** {@code source} behind the retries and the circuit breaker. */
    public PriceSource guard(PriceSource source) {
        return new PriceSource() {
            @Override
            public String name() {
                return source.name();
            }

            @Override
            public PriceDocument fetch() throws Exception {
                return guard.call(source::fetch, PriceDocument.class);
            }
        };
    }

    public CircuitBreakerState circuitState() {
        return circuits.currentState(CIRCUIT);
    }
}
