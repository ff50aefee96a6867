package io.pushgate.gateway.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code gateway.redis.wait-replicas=1} a write is acknowledged only once a replica of its
 * master confirmed it: a master SIGKILLed under a steady stream of sets loses no acknowledged write.
 */
class ClusterFailoverWithWaitIT extends ClusterGateways {

    @BeforeAll
    static void start() {
        startAll(Map.of("gateway.redis.wait-replicas", "1", "gateway.redis.wait-timeout", "500ms"));
    }

    @AfterAll
    static void stop() {
        stopAll();
    }

    @Test
    void aMasterKilledUnderSteadySetsLosesNoAcknowledgedWrite() throws Exception {
        report("latency with WAIT 1", oneAtATime("cluster/latency", 500));
        Failover f = failoverDrill("cluster/waited");
        report("failover with WAIT 1", f.describe());
        assertThat(f.acked()).isGreaterThan(f.ackedBeforeKill());
        assertThat(f.lostAcked()).as("acknowledged writes lost").isZero();
        assertThat(f.sawNotReady()).isTrue();
        assertThat(f.readyAfterPromotion()).isLessThan(Duration.ofSeconds(20));
    }
}
