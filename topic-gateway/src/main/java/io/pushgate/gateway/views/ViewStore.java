package io.pushgate.gateway.views;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The port to the view definitions shared by the replicas, and to the ownership of each view
 * (the replica that runs it). Implementations: {@code redis.RedisViews}, {@code memory.MemoryViewStore}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #put} and {@link #remove} are atomic with the change they publish: every replica's
 *       {@link ViewChanges} sees the definitions of one view change in one order.</li>
 *   <li>Ownership: at most one live replica holds a view's lease at a time (a lease expires if not
 *       renewed, so a view's owner may be missing for up to the lease's length after its replica
 *       dies, never doubled while both hold it). The holder is told through
 *       {@link ViewEngine#owned}.</li>
 *   <li>Failures complete the stage exceptionally with a {@code ProtocolException}
 *       ({@code UNAVAILABLE} when the store cannot be reached).</li>
 * </ul>
 */
public interface ViewStore {

    /** Stores a view's definition (its stored {@link ViewDefinition} text): true if it is new. */
    CompletionStage<Boolean> put(String name, String stored);

    /** Removes a view: true if it existed. */
    CompletionStage<Boolean> remove(String name);

    /** Every definition, name to stored text. */
    CompletionStage<Map<String, String>> loadAll();

    /** Starts keeping the engine's views owned (claiming and renewing leases); definitions come from {@link #reload}. */
    void start(ViewEngine engine);

    /** Loads every definition into the engine given to {@link #start} (at start, and after {@link ViewChanges#resync}). */
    void reload();

    /** Claims (or renews) one view's lease now, and tells the engine whether this replica owns it. */
    CompletionStage<Boolean> claim(String name);

    /** Releases this replica's leases, so another replica takes its views over at once. */
    void stop();
}
