package io.pushgate.gateway.health;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** What readiness reports of the topic store, whichever implementation holds it. */
public interface StoreHealth {

    /** True while this replica follows the store's changes (it sees every write). */
    boolean isFollowingChanges();

    /** The store's shards as resolved (0: unsharded). */
    int shards();

    /** Why the store cannot be used as configured, or null. */
    String layoutProblem();

    /** Each answer read from its supplier when readiness asks. */
    static StoreHealth of(BooleanSupplier following, IntSupplier shards, Supplier<String> layoutProblem) {
        return new StoreHealth() {
            @Override
            public boolean isFollowingChanges() {
                return following.getAsBoolean();
            }

            @Override
            public int shards() {
                return shards.getAsInt();
            }

            @Override
            public String layoutProblem() {
                return layoutProblem.get();
            }
        };
    }
}
