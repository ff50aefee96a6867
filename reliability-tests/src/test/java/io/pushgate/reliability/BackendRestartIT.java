package io.pushgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.reliability.support.PriceApi;
import io.pushgate.reliability.support.Results;
import io.pushgate.reliability.support.Services;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import io.pushgate.testsupport.TestIssuer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

/**
 * The pipeline of e2e-tests (Redis, gateway, redis-bridge, backend-app, data-feeder polling a local
 * price API), with backend-app killed (SIGKILL) in the middle of the feed and started again while
 * the feeder goes on publishing. The price history ({@code prices/btc/history}) must hold every
 * price the API served exactly once, in order. backend-app writes anonymously here (the gateway's
 * anonymous role is ADMINISTRATOR), so the auth-service is left out.
 */
class BackendRestartIT {

    private static final int PRICES = 80;

    @Test
    void theHistoryHasEveryPriceOnceAfterBackendAppIsKilledMidFeed() throws Exception {
        Results results = new Results("backend-restart");
        RedisServer redis = new RedisServer().start();
        // no auth-service here: the feeder trusts a local issuer, whose token starts the feed
        try (Services services = new Services("BackendRestartIT"); PriceApi api = new PriceApi(); TestIssuer issuer = new TestIssuer("/issuer")) {
            PublicJsonWebKey key = issuer.addRsaKey("k1");
            String redisUri = redis.uri();
            ServiceProcess gateway = services.gateway(redisUri, Map.of());
            ServiceProcess bridge = services.service("redis-bridge", RedisServer.freePort(), Map.of(
                    "quarkus.redis.hosts", redisUri,
                    "bridge.forward.streams", "prices.btc.stream",
                    "bridge.forward.group-start-id", "0"));
            Services.startAll(gateway, bridge);
            ServiceProcess backend = services.service("backend-app", RedisServer.freePort(), Map.of(
                    "quarkus.redis.hosts", redisUri,
                    "backend.gateway-url", gateway.httpUrl(),
                    "backend.moderation.enabled", "false",
                    "backend.retry.max-delay", "1s"));
            ServiceProcess feeder = services.service("data-feeder", RedisServer.freePort(), Map.of(
                    "quarkus.redis.hosts", redisUri,
                    "feeder.source", "coindesk",
                    "feeder.url", api.url(),
                    "feeder.period", "200ms",
                    "feeder.autostart", "false",
                    "feeder.security.issuers", issuer.issuer()));
            Services.startAll(backend, feeder);

            api.serveUpTo(PRICES);
            Http.send("POST", feeder.httpUrl() + "/v1/feed/start",
                    Map.of("Authorization", "Bearer " + issuer.token(key, "operator", "TOPIC_CONTROL")), new byte[0]).expectSuccess();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> history(gateway).size() >= 20);

            // killed mid-feed: the feeder goes on publishing, the bridge forwarding into the stream
            int servedAtKill = api.served();
            backend.kill();
            long killed = System.nanoTime();
            results.put("pricesServedAtKill", servedAtKill);
            results.put("historyAtKill", history(gateway).size());
            backend.start();
            results.put("backendBackAfterMs", Results.millis(killed, System.nanoTime()));
            results.put("pricesServedWhileBackendWasAway", api.served() - servedAtKill);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.served() == PRICES && history(gateway).size() >= PRICES);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> history(gateway).size() == PRICES);
            results.put("historyCaughtUpAfterKillMs", Results.millis(killed, System.nanoTime()));

            List<BigDecimal> history = history(gateway);
            List<BigDecimal> served = api.servedUsd();
            results.put("pricesServed", served.size());
            results.put("historyEvents", history.size());
            results.put("lost", served.stream().filter(p -> history.stream().noneMatch(h -> h.compareTo(p) == 0)).count());
            results.put("duplicated", history.size() - history.stream().map(BigDecimal::stripTrailingZeros).distinct().count());
            results.write();
            assertThat(history).as("the history: every price once, in order").usingElementComparator(BigDecimal::compareTo)
                    .containsExactlyElementsOf(served);
        } finally {
            results.write();
            redis.stop();
        }
    }

    private static List<BigDecimal> history(ServiceProcess gateway) {
        Http.Answer a = Http.get(gateway.httpUrl() + "/v1/timeseries/prices/btc/history?fromLast=10000");
        if (a.status() != 200) {
            return List.of();
        }
        List<BigDecimal> values = new ArrayList<>();
        a.json().path("events").forEach(e -> values.add(e.path("value").decimalValue()));
        return values;
    }
}
