package io.pushgate.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * Starts a {@link TestIssuer} with one RSA key for a {@code @QuarkusTest} and sets the property
 * named by the resource argument {@value #PROPERTY} (for example {@code feeder.security.issuers})
 * to its URL, so that the service trusts it exactly as it would trust the auth-service:
 *
 * <pre>{@code
 * @QuarkusTestResource(value = TestIssuerResource.class,
 *         initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "feeder.security.issuers"))
 * }</pre>
 *
 * Tests then sign tokens with {@link #token(String, String...)}.
 */
public class TestIssuerResource implements QuarkusTestResourceLifecycleManager {

    /** The resource argument naming the property that lists the trusted issuers. */
    public static final String PROPERTY = "property";

    private static volatile TestIssuer current;
    private static volatile PublicJsonWebKey currentKey;

    private String property;
    private TestIssuer issuer;

    @Override
    public void init(Map<String, String> initArgs) {
        property = initArgs.get(PROPERTY);
        if (property == null || property.isBlank()) {
            throw new IllegalArgumentException("TestIssuerResource needs the resource argument '" + PROPERTY
                    + "': the property that lists the trusted issuers");
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            issuer = new TestIssuer("/issuer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        currentKey = issuer.addRsaKey("test-key");
        current = issuer;
        return Map.of(property, issuer.issuer());
    }

    @Override
    public void stop() {
        if (issuer != null) {
            issuer.close();
        }
        current = null;
    }

    /** The issuer of the running test. */
    public static TestIssuer current() {
        TestIssuer issuer = current;
        if (issuer == null) {
            throw new IllegalStateException("no TestIssuerResource is running");
        }
        return issuer;
    }

    /** The key the issuer publishes and signs with. */
    public static PublicJsonWebKey key() {
        current();
        return currentKey;
    }

    /** A valid token of the running issuer for {@code subject} with exactly these roles, valid for five minutes. */
    public static String token(String subject, String... roles) {
        return current().token(key(), subject, roles);
    }
}
