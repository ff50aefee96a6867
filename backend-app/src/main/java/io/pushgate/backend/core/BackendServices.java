package io.pushgate.backend.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushgate.backend.config.BackendConfig;
import io.pushgate.backend.gateway.Gateway;
import io.pushgate.backend.gateway.GatewayConnection;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.backend.gateway.TokenSource;
import io.pushgate.backend.metrics.BackendMeters;
import io.pushgate.backend.prices.PricePublisher;
import io.pushgate.backend.prices.PriceTopics;
import io.pushgate.backend.write.GatewayWriter;
import io.pushgate.backend.write.WriteQueue;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Clock;

/**
 * The plain-Java parts, built once from the configuration: the identity, the connection to the
 * gateway and the port over it, the writer and its buffer, the price publisher, the meters.
 */
@Singleton
public class BackendServices {

    @Produces
    @Singleton
    HttpClient http(BackendConfig config) {
        return HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
    }

    @Produces
    @Singleton
    TokenSource tokens(BackendConfig config, HttpClient http) {
        return config.authUrl().isPresent()
                ? TokenSource.clientCredentials(http, config.authUrl().get(), config.clientId(), config.clientSecret().orElse(""),
                        config.requestTimeout(), Clock.systemUTC())
                : TokenSource.none();
    }

    @Produces
    @Singleton
    GatewayConnection connection(BackendConfig config, TokenSource tokens) {
        return new GatewayConnection(config.gatewayUrl(), tokens, config.retry(), config.requestTimeout());
    }

    void close(@Disposes GatewayConnection connection) {
        connection.close();
    }

    @Produces
    @Singleton
    GatewayPort gateway(BackendConfig config, GatewayConnection connection, HttpClient http, TokenSource tokens) {
        return new Gateway(connection, http, config.gatewayUrl(), tokens, config.requestTimeout());
    }

    @Produces
    @Singleton
    BackendMeters meters(MeterRegistry registry) {
        return new BackendMeters(registry);
    }

    @Produces
    @Singleton
    GatewayWriter writer(BackendConfig config, GatewayPort gateway, BackendMeters meters, GatewayConnection connection) {
        GatewayWriter writer = new GatewayWriter(gateway, new WriteQueue(config.bufferSize()), config.retry().initialDelay(),
                config.retry().maxDelay(), meters);
        meters.gauges(writer::buffered, connection::connected);
        return writer;
    }

    @Produces
    @Singleton
    PricePublisher publisher(BackendConfig config) {
        BackendConfig.Prices p = config.prices();
        return new PricePublisher(new PriceTopics(p.topic(), p.rawTopic(), p.historyTopic(), p.historyRetainedRange(), p.currency()));
    }
}
