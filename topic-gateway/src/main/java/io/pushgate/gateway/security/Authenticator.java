package io.pushgate.gateway.security;

import java.util.concurrent.CompletionStage;

/**
 * Turns a bearer token into credentials, or fails with {@code UNAUTHENTICATED} saying why.
 * Never blocks: a stage that completes when the issuer's keys are at hand.
 */
public interface Authenticator {

    CompletionStage<Credentials> authenticate(String token);
}
