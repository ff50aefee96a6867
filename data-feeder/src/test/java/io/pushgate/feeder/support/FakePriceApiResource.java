package io.pushgate.feeder.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a {@link FakePriceApi} for a {@code @QuarkusTest} and points {@code feeder.url} at it. */
public class FakePriceApiResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakePriceApi current;

    @Override
    public Map<String, String> start() {
        current = FakePriceApi.start();
        return Map.of("feeder.url", current.baseUrl());
    }

    @Override
    public void stop() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** The API of the running test. */
    public static FakePriceApi current() {
        return current;
    }
}
