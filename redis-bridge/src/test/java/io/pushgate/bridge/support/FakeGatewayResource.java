package io.pushgate.bridge.support;

import io.pushgate.testsupport.FakeRestGateway;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts a {@link FakeRestGateway} for a {@code @QuarkusTest} and points {@code bridge.gateway-url} at it. */
public class FakeGatewayResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeRestGateway current;

    @Override
    public Map<String, String> start() {
        try {
            current = new FakeRestGateway();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("bridge.gateway-url", current.url());
    }

    @Override
    public void stop() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    public static FakeRestGateway current() {
        return current;
    }
}
