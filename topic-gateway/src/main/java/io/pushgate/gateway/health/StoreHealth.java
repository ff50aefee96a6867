package io.pushgate.gateway.health;

/** What readiness reports of the topic store, whichever implementation holds it. */
public interface StoreHealth {

    /** True while this replica follows the store's changes (it sees every write). */
    boolean isFollowingChanges();

    /** The store's shards as resolved (0: unsharded). */
    int shards();

    /** Why the store cannot be used as configured, or null. */
    String layoutProblem();
}
