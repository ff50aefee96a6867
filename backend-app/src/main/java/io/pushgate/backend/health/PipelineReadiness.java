package io.pushgate.backend.health;

import io.pushgate.backend.core.Lifecycle;
import io.pushgate.backend.gateway.GatewayConnection;
import io.pushgate.backend.write.GatewayWriter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the gateway was reached and the price state read back from it (Redis has its own
 * check). A gateway that goes away later does not make the service unready: it buffers and retries,
 * which the data shows ({@code gateway}, {@code buffered}).
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {

    private final Lifecycle lifecycle;
    private final GatewayConnection connection;
    private final GatewayWriter writer;

    public PipelineReadiness(Lifecycle lifecycle, GatewayConnection connection, GatewayWriter writer) {
        this.lifecycle = lifecycle;
        this.connection = connection;
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pipeline")
                .status(lifecycle.prepared())
                .withData("gateway", connection.connected() ? "connected" : "not connected")
                .withData("buffered", writer.buffered())
                .build();
    }
}
