package io.pushgate.bridge.passthrough;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.bridge.redis.ChannelName;
import io.pushgate.bridge.redis.RedisSubscriptions;
import io.pushgate.jwt.VerifiedToken;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The passthrough's connections, grouped by channel into rooms, knowing nothing of WebSockets.
 * A room subscribes its channel when its first client joins and unsubscribes when its last one
 * leaves, so Redis sees one subscription per channel however many clients share it.
 */
@ApplicationScoped
public class PassthroughHub {

    private static final Logger LOG = Logger.getLogger(PassthroughHub.class);

    private final RedisSubscriptions subscriptions;
    private final RedisPublisher publisher;
    private final PublishPolicy publishPolicy;
    private final PassthroughAccess access;
    private final MeterRegistry registry;
    private final Map<ChannelName, Room> rooms = new HashMap<>(); // guarded by this
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final Counter closedSlow;
    private final Counter closedRefused;
    private final Counter closedUnavailable;
    private final Map<ErrorCode, Counter> publishRefused = new EnumMap<>(ErrorCode.class);

    public PassthroughHub(RedisSubscriptions subscriptions, RedisPublisher publisher, BridgeConfig config, PassthroughAccess access,
                          MeterRegistry registry) {
        this.subscriptions = subscriptions;
        this.publisher = publisher;
        this.publishPolicy = new PublishPolicy(config.passthrough().allowPublish());
        this.access = access;
        this.registry = registry;
        Gauge.builder("bridge.passthrough.clients", members, Map::size)
                .description("Connected passthrough clients").register(registry);
        Gauge.builder("bridge.passthrough.channels", this, PassthroughHub::channelCount)
                .description("Channels and patterns with passthrough clients").register(registry);
        this.closedSlow = closedCounter("slow-client");
        this.closedRefused = closedCounter("publish-refused");
        this.closedUnavailable = closedCounter("redis-unavailable");
        for (ErrorCode code : new ErrorCode[] {ErrorCode.UNAUTHENTICATED, ErrorCode.PERMISSION_DENIED}) {
            publishRefused.put(code, Counter.builder("bridge.passthrough.publish.refused").tag("code", code.name())
                    .description("Client messages not published for want of a token or a role (the client got an error frame)")
                    .register(registry));
        }
    }

    /**
     * Adds a client to its channel's room, subscribing the channel if it is the first; {@code caller}
     * is the token it connected with (empty: anonymous), which its publishes are checked against.
     */
    public void join(String connectionId, ChannelName channel, ClientSender sender, Optional<VerifiedToken> caller) {
        Room room;
        synchronized (this) {
            room = rooms.computeIfAbsent(channel, this::openRoom);
            room.add(sender);
        }
        members.put(connectionId, new Member(room, sender, caller));
    }

    /** Removes a client; the last one of a room unsubscribes its channel. */
    public void leave(String connectionId) {
        Member member = members.remove(connectionId);
        if (member == null) {
            return;
        }
        synchronized (this) {
            Room room = member.room();
            room.remove(member.sender());
            if (room.isEmpty() && rooms.get(room.channel()) == room) {
                rooms.remove(room.channel());
                room.close();
            }
        }
    }

    /**
     * PUBLISHes a client's message to its channel. A message on a pattern, or with publishing
     * disabled, closes the client with {@link CloseCodes#PUBLISH_REFUSED}. A client whose token does
     * not allow it ({@code publish-roles}: none, expired, or without the role) gets an {@code error}
     * frame, {@code {"type":"error","code":...,"message":...}}, only to itself, and stays connected.
     * A message Redis did not take closes the client with {@link CloseCodes#REDIS_UNAVAILABLE}, so a
     * sender never believes a lost message was published.
     */
    public Uni<Void> publish(String connectionId, byte[] payload) {
        Member member = members.get(connectionId);
        if (member == null) {
            return Uni.createFrom().voidItem();
        }
        ChannelName channel = member.room().channel();
        Optional<String> refusal = publishPolicy.refusal(channel);
        if (refusal.isPresent()) {
            closedRefused.increment();
            member.sender().close(CloseCodes.PUBLISH_REFUSED, refusal.get());
            return Uni.createFrom().voidItem();
        }
        Optional<ProtocolException> denied = access.publishRefusal(channel, member.caller(), Instant.now());
        if (denied.isPresent()) {
            LOG.debugf("not published: %s", denied.get().getMessage());
            publishRefused.get(denied.get().code()).increment();
            if (member.sender().send(ErrorFrames.of(denied.get())) == ClientSender.Outcome.CLOSED) {
                countSlowClose();
            }
            return Uni.createFrom().voidItem();
        }
        ChannelMeters meters = member.room().meters();
        return publisher.publish(channel.value(), payload)
                .invoke(receivers -> {
                    meters.publishedMessages.increment();
                    meters.publishedBytes.add(payload.length);
                })
                .onFailure().recoverWithItem(error -> {
                    LOG.warnf("cannot publish to %s: %s", channel, error.getMessage());
                    closedUnavailable.increment();
                    member.sender().close(CloseCodes.REDIS_UNAVAILABLE, "Redis unavailable: message not published");
                    return 0;
                })
                .replaceWithVoid();
    }

    /** Counts a client closed for being slow (its sender did the closing). */
    void countSlowClose() {
        closedSlow.increment();
    }

    /** Clients connected on {@code channel} (exactly as they named it). */
    public synchronized int clientCount(ChannelName channel) {
        Room room = rooms.get(channel);
        return room == null ? 0 : room.size();
    }

    public int clientCount() {
        return members.size();
    }

    public synchronized int channelCount() {
        return rooms.size();
    }

    private Room openRoom(ChannelName channel) {
        Room room = new Room(channel, new ChannelMeters(registry, channel.value()), this::countSlowClose);
        room.attach(subscriptions.subscribe(channel.subscriptionKey(), room::deliver));
        return room;
    }

    private Counter closedCounter(String reason) {
        return Counter.builder("bridge.passthrough.closed").tag("reason", reason)
                .description("Passthrough clients the bridge closed, by reason").register(registry);
    }

    private record Member(Room room, ClientSender sender, Optional<VerifiedToken> caller) {
    }
}
