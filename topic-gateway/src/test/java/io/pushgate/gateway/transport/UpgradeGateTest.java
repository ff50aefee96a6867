package io.pushgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.security.Credentials;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The checks a request for a WebSocket or SSE session passes, in their order, without a server. */
class UpgradeGateTest {

    private static final Credentials ALICE = new Credentials("alice", List.of("CLIENT"), Instant.now().plusSeconds(60));

    private final Draining draining = new Draining();
    private final ConnectionLimiter connections = new ConnectionLimiter(2);
    private final Map<String, CompletableFuture<Credentials>> tokens = new HashMap<>();
    private final UpgradeGate gate = new UpgradeGate(draining, new OriginCheck(List.of("https://app.example")), connections,
            token -> tokens.getOrDefault(token, CompletableFuture.failedFuture(
                    new ProtocolException(ErrorCode.UNAUTHENTICATED, "unknown token"))));

    @Test
    void anAnonymousRequestIsAdmittedWithNoCredentialsAndHoldsAPlaceUntilReleased() {
        FakeRequest request = new FakeRequest();
        UpgradeGate.Admission<String> admission = gate.admit(request, () -> "parsed");

        assertThat(admission).isNotNull();
        assertThat(admission.parameters()).isEqualTo("parsed");
        assertThat(admission.address()).isEqualTo("10.0.0.1");
        AtomicReference<Credentials> got = new AtomicReference<>(ALICE);
        gate.authenticate(request, admission, got::set);
        assertThat(got.get()).isNull();
        assertThat(request.refusals).isEmpty();

        assertThat(connections.tryAcquire("10.0.0.1")).isTrue();
        assertThat(connections.tryAcquire("10.0.0.1")).as("the admission holds the other place").isFalse();
        admission.release();
        admission.release();
        assertThat(connections.tryAcquire("10.0.0.1")).as("released once, however often called").isTrue();
        assertThat(connections.tryAcquire("10.0.0.1")).isFalse();
    }

    @Test
    void whileDrainingEveryRequestIsRefusedUnavailableBeforeAnythingElse() {
        draining.begin();
        FakeRequest request = new FakeRequest();
        request.headers.put("Origin", "https://evil.example");
        AtomicInteger parsed = new AtomicInteger();

        assertThat(gate.admit(request, parsed::incrementAndGet)).isNull();

        assertThat(request.refusals).extracting(ProtocolException::code).containsExactly(ErrorCode.UNAVAILABLE);
        assertThat(parsed).as("parameters not looked at").hasValue(0);
    }

    @Test
    void theTransportsParametersAreCheckedBeforeTheOrigin() {
        FakeRequest request = new FakeRequest();
        request.headers.put("Origin", "https://evil.example");

        assertThat(gate.admit(request, () -> {
            throw ProtocolException.invalid("bad delta");
        })).isNull();

        assertThat(request.refusals).extracting(ProtocolException::code).containsExactly(ErrorCode.INVALID);
    }

    @Test
    void aPageFromAnUnlistedOriginIsRefusedAndTakesNoPlace() {
        FakeRequest request = new FakeRequest();
        request.headers.put("Origin", "https://evil.example");

        assertThat(gate.admit(request, () -> null)).isNull();

        assertThat(request.refusals).extracting(ProtocolException::code).containsExactly(ErrorCode.PERMISSION_DENIED);
        assertThat(connections.tryAcquire("10.0.0.1")).isTrue();
        assertThat(connections.tryAcquire("10.0.0.1")).isTrue();
    }

    @Test
    void aListedOriginAndANonBrowserRequestArePassed() {
        FakeRequest page = new FakeRequest();
        page.headers.put("Origin", "HTTPS://APP.EXAMPLE");
        assertThat(gate.admit(page, () -> null)).isNotNull();
        assertThat(gate.admit(new FakeRequest(), () -> null)).isNotNull();
    }

    @Test
    void anAuthorizationHeaderOfAnotherSchemeIsRefusedUnauthenticated() {
        FakeRequest request = new FakeRequest();
        request.headers.put("Authorization", "Basic YWxpY2U6cHc=");

        assertThat(gate.admit(request, () -> null)).isNull();

        assertThat(request.refusals).extracting(ProtocolException::code).containsExactly(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void pastTheAddresssLimitARequestIsRefusedRateLimited() {
        assertThat(gate.admit(new FakeRequest(), () -> null)).isNotNull();
        assertThat(gate.admit(new FakeRequest(), () -> null)).isNotNull();
        FakeRequest third = new FakeRequest();

        assertThat(gate.admit(third, () -> null)).isNull();

        assertThat(third.refusals).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.getMessage()).isEqualTo("at most 2 connections from one address");
        });
        FakeRequest other = new FakeRequest();
        other.address = "10.0.0.2";
        assertThat(gate.admit(other, () -> null)).as("another address has its own places").isNotNull();
    }

    @Test
    void anAcceptedTokenGivesItsCredentialsOnTheRequestsContextWithReadingPausedMeanwhile() {
        CompletableFuture<Credentials> verifying = new CompletableFuture<>();
        tokens.put("good", verifying);
        FakeRequest request = new FakeRequest();
        request.headers.put("Authorization", "Bearer good");
        UpgradeGate.Admission<Void> admission = gate.admit(request, () -> null);
        AtomicReference<Credentials> got = new AtomicReference<>();

        gate.authenticate(request, admission, got::set);
        assertThat(request.paused).isTrue();
        assertThat(got.get()).isNull();

        verifying.complete(ALICE);
        assertThat(request.onContext).as("handed to the request's context").hasValue(1);
        assertThat(request.paused).isFalse();
        assertThat(got.get()).isEqualTo(ALICE);
        assertThat(request.refusals).isEmpty();
    }

    @Test
    void aRefusedTokenIsAnsweredWithItsErrorAndReleasesThePlace() {
        FakeRequest request = new FakeRequest();
        request.params.put("access_token", "bad");
        UpgradeGate.Admission<Void> admission = gate.admit(request, () -> null);
        AtomicReference<Credentials> got = new AtomicReference<>();

        gate.authenticate(request, admission, got::set);

        assertThat(got.get()).isNull();
        assertThat(request.paused).isFalse();
        assertThat(request.refusals).extracting(ProtocolException::code).containsExactly(ErrorCode.UNAUTHENTICATED);
        assertThat(connections.tryAcquire("10.0.0.1")).isTrue();
        assertThat(connections.tryAcquire("10.0.0.1")).isTrue();
    }

    @Test
    void aFailureThatIsNotTheProtocolsIsAnsweredUnauthenticated() {
        tokens.put("odd", CompletableFuture.failedFuture(new IllegalStateException("boom")));
        FakeRequest request = new FakeRequest();
        request.headers.put("Authorization", "Bearer odd");

        gate.authenticate(request, gate.admit(request, () -> null), c -> {
        });

        assertThat(request.refusals).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(e.getMessage()).isEqualTo("the token was not accepted");
        });
    }

    /** A request from 10.0.0.1 with no headers; records what the gate did with it. */
    private static final class FakeRequest implements UpgradeGate.Request {
        final Map<String, String> headers = new HashMap<>();
        final Map<String, String> params = new HashMap<>();
        final List<ProtocolException> refusals = new ArrayList<>();
        final AtomicInteger onContext = new AtomicInteger();
        String address = "10.0.0.1";
        boolean paused;

        @Override
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public String param(String name) {
            return params.get(name);
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public void refuse(ProtocolException error) {
            refusals.add(error);
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }

        @Override
        public Executor context() {
            return task -> {
                onContext.incrementAndGet();
                task.run();
            };
        }
    }
}
