package io.pushgate.gateway.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The port to the directory of every live session of every replica, and to each replica's
 * command channel (implementations: {@code io.pushgate.gateway.redis.RedisSessionDirectory}, and
 * {@code io.pushgate.gateway.memory.MemorySessionDirectory} for a single node).
 *
 * <p>Guarantees:
 * <ul>
 * <li><b>Registration</b>: {@link #register} and {@link #unregister} of one replica reach the
 * directory in the order they were called; {@link #list} on any replica sees a registration once
 * it has reached the store (normally within milliseconds, at most one heartbeat later after a
 * store outage). An entry is a snapshot: its subscription count is as of its last registration
 * (the gateway re-registers changed sessions about once a second).
 * <li><b>Expiry</b>: every replica renews its entries every {@code heartbeat}; a replica that dies
 * (even SIGKILLed) leaves no entry older than {@code ttl} past its last renewal, so its sessions
 * leave every listing within {@code ttl} of its death. A replica that lost the store and comes
 * back writes all its entries again at its next heartbeat.
 * <li><b>Commands</b> ({@link #call}): a command sent to a replica is carried out there at most
 * once (pub/sub: a replica that is not subscribed at that moment never sees it); the caller gets
 * the handler's answer or, when none comes within the timeout (replica gone, lost message,
 * handler failed), a failed stage with {@code UNAVAILABLE}; a handler's
 * {@link io.pushgate.protocol.ProtocolException} comes back with its code and message.
 * A call to this replica's own id runs the handler directly, without the store.
 * </ul>
 * Methods may be called from any thread; handlers run on a thread of the implementation and
 * must hand work to the session's event loop themselves.
 */
public interface SessionDirectory {

    /** This replica's id: unique per gateway process, and the prefix of every session id it makes ({@code <replica>-<n>}). */
    String replicaId();

    /** Adds or replaces a session of this replica. */
    void register(SessionEntry entry);

    /** Removes a session of this replica (it closed). */
    void unregister(String sessionId);

    /** Every session of every live replica, in no particular order. */
    CompletionStage<List<SessionEntry>> list();

    /**
     * Sends a command of a {@code kind} with a JSON payload to a replica, and answers with the
     * handler's JSON answer there. Fails with {@code UNAVAILABLE} after {@code timeout} without one.
     */
    CompletionStage<JsonNode> call(String replica, String kind, JsonNode payload, Duration timeout);

    /** Handles the commands of a kind sent to this replica; one handler per kind, registered before {@link #start()}. */
    void handle(String kind, Function<JsonNode, CompletionStage<JsonNode>> handler);

    /** Starts the heartbeat and the command channel. */
    void start();

    /** Stops the heartbeat and removes this replica's entries (a graceful shutdown). */
    void stop();

    /** The replica of a session id made by {@link #replicaId()}-based numbering, or null if it is not one. */
    static String replicaOf(String sessionId) {
        int dash = sessionId == null ? -1 : sessionId.lastIndexOf('-');
        return dash > 0 ? sessionId.substring(0, dash) : null;
    }
}
