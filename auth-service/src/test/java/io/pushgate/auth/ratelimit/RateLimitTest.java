package io.pushgate.auth.ratelimit;

import static io.pushgate.auth.Api.freshAddress;
import static io.pushgate.auth.Api.passwordGrant;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.auth.Api;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The test profile allows 3 failures per principal and 6 per address in a minute. */
@QuarkusTest
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RateLimitTest {

    private static final int PER_PRINCIPAL = 3;
    private static final int PER_ADDRESS = 6;

    @Test
    void failedLoginsPerPrincipalAreLimitedEvenFromManyAddresses() {
        String name = Api.createPrincipal("guessed", "right-password", "CLIENT");
        for (int i = 0; i < PER_PRINCIPAL; i++) {
            assertThat(passwordGrant(name, "guess-" + i, freshAddress()).statusCode()).isEqualTo(401);
        }

        Response blocked = passwordGrant(name, "right-password", freshAddress());

        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.jsonPath().getString("code")).isEqualTo("RATE_LIMITED");
        // another principal is not affected
        assertThat(passwordGrant("bob", "bob-password", freshAddress()).statusCode()).isEqualTo(200);
    }

    @Test
    void failedLoginsPerAddressAreLimitedAcrossNames() {
        String address = freshAddress();
        for (int i = 0; i < PER_ADDRESS; i++) {
            assertThat(passwordGrant(Api.uniqueName("sprayed"), "some-password", address).statusCode()).isEqualTo(401);
        }

        Response blocked = passwordGrant("bob", "bob-password", address);

        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.jsonPath().getString("code")).isEqualTo("RATE_LIMITED");
        assertThat(passwordGrant("bob", "bob-password", freshAddress()).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownNamesAreLimitedExactlyLikeKnownOnes() {
        String known = Api.createPrincipal("known", "right-password", "CLIENT");
        String unknown = Api.uniqueName("unknown");
        for (int i = 0; i < PER_PRINCIPAL; i++) {
            Response toKnown = passwordGrant(known, "wrong-password", freshAddress());
            Response toUnknown = passwordGrant(unknown, "wrong-password", freshAddress());
            assertThat(toUnknown.asString()).isEqualTo(toKnown.asString());
        }

        Response knownBlocked = passwordGrant(known, "wrong-password", freshAddress());
        Response unknownBlocked = passwordGrant(unknown, "wrong-password", freshAddress());

        assertThat(knownBlocked.statusCode()).isEqualTo(429);
        assertThat(unknownBlocked.statusCode()).isEqualTo(429);
        assertThat(unknownBlocked.asString()).isEqualTo(knownBlocked.asString());
    }

    @Test
    void failedClientCredentialsAreLimitedToo() {
        for (int i = 0; i < PER_PRINCIPAL; i++) {
            assertThat(Api.clientGrant("limited", "wrong-" + i, freshAddress()).statusCode()).isEqualTo(401);
        }

        assertThat(Api.clientGrant("limited", "limited-test-secret", freshAddress()).statusCode()).isEqualTo(429);
    }
}
