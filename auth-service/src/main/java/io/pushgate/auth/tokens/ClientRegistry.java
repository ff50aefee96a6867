package io.pushgate.auth.tokens;

import io.pushgate.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The clients of the client-credentials grant, from {@code auth.clients.*}. Secrets are compared
 * as SHA-256 digests with {@link MessageDigest#isEqual}, in constant time, and an unknown client
 * costs the same comparison, so that timing tells nothing about which client ids exist.
 */
@ApplicationScoped
public class ClientRegistry {

    private static final byte[] NO_SECRET = sha256("no client has this secret");

    private final AuthConfig config;

    public ClientRegistry(AuthConfig config) {
        this.config = config;
    }

    /** The client's roles when the secret is right; empty for a wrong secret, an unknown or a disabled client. */
    public Optional<List<String>> authenticate(String clientId, String secret) {
        AuthConfig.Client client = config.clients().get(clientId);
        Optional<String> expected = client == null ? Optional.empty() : client.secret();
        byte[] expectedDigest = expected.map(ClientRegistry::sha256).orElse(NO_SECRET);
        boolean matches = MessageDigest.isEqual(expectedDigest, sha256(secret));
        return matches && expected.isPresent() ? Optional.of(List.copyOf(client.roles())) : Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
