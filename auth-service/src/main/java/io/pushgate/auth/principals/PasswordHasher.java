package io.pushgate.auth.principals;

import io.pushgate.auth.config.AuthConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * bcrypt hashing (Elytron's implementation through Quarkus' {@link BcryptUtil}); each hash
 * carries its own salt and cost, so raising {@code auth.bcrypt-cost} later keeps old hashes valid.
 */
@ApplicationScoped
public class PasswordHasher {

    private final int cost;
    /** Checked against when the name is unknown, so that an unknown name costs one bcrypt like a wrong password. */
    private final String dummyHash;

    public PasswordHasher(AuthConfig config) {
        this.cost = config.bcryptCost();
        this.dummyHash = BcryptUtil.bcryptHash(UUID.randomUUID().toString(), cost);
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    public boolean matches(String password, String hash) {
        return BcryptUtil.matches(password, hash);
    }

    /** Spends the time of a verification and answers false. */
    public boolean matchesNothing(String password) {
        BcryptUtil.matches(password, dummyHash);
        return false;
    }
}
