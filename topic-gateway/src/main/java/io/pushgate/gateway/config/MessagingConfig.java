package io.pushgate.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Request/response messaging ({@code gateway.messaging.*}): every bound on what a session may hold,
 * send and wait for. Each value also reads from its environment variable
 * ({@code GATEWAY_MESSAGING_MAX_TIMEOUT}, ...).
 */
@ConfigMapping(prefix = "gateway.messaging")
public interface MessagingConfig {

    /** Requests one session (or one REST principal) may have sent and still await the response of; past it RATE_LIMITED. */
    @WithDefault("100")
    int maxPendingPerSession();

    /** Requests delivered to one session (as handler or target) that it has not answered yet; past it the sender gets BUSY. */
    @WithDefault("100")
    int maxUnansweredPerSession();

    /** Requests one gateway holds in all, awaiting a response and awaiting its sessions' answers (each table). */
    @WithDefault("100000")
    int maxPending();

    /** Request handlers (and, separately, request streams) one session may register. */
    @WithDefault("100")
    int maxHandlersPerSession();

    /** Largest request, in bytes of its compact JSON; past it TOO_LARGE. */
    @WithDefault("65536")
    int maxRequestBytes();

    /** Largest response (or rejection message), in bytes of its compact JSON; past it the handler's answer is refused with TOO_LARGE. */
    @WithDefault("65536")
    int maxResponseBytes();

    /** A request's timeout when it names none. */
    @WithDefault("10s")
    Duration defaultTimeout();

    /** The longest timeout a request may ask for; past it INVALID. */
    @WithDefault("60s")
    Duration maxTimeout();

    /** Most sessions one request to a session filter may go to; a filter that selects more is refused (TOO_LARGE). */
    @WithDefault("1000")
    int maxFilterTargets();

    /** How long a replica's handler registration counts in Redis without being renewed (a replica that died stops getting requests after this). */
    @WithDefault("10s")
    Duration registryTtl();

    /** How often a replica renews its handler registrations (well under {@code registry-ttl}). */
    @WithDefault("2s")
    Duration registryRefresh();
}
