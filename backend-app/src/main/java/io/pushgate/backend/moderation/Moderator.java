package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.backend.config.BackendConfig;
import io.pushgate.backend.gateway.GatewayConnection;
import io.pushgate.backend.gateway.GatewayEvent;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.backend.gateway.TokenSource;
import io.pushgate.backend.metrics.BackendMeters;
import io.pushgate.backend.write.GatewayWriter;
import io.pushgate.client.PushgateClient;
import io.pushgate.client.ValueListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The chat moderator (the reference tutorial's challenge). It subscribes to the rooms through the
 * client library ({@code ?chat/} by default); a new value of a room is only the signal: the events
 * themselves, with their authors, are read with a range query from the last one looked at, with
 * edits applied (so the moderator's own bleeps are never judged again). Each event is judged by the
 * {@link ModerationRules}, and what they decide is written through the gateway writer: the edit
 * with asterisks, the log events, and after enough strikes the author's revocation in that room.
 *
 * <p>When it first sees a room (at start, or a new room) it looks at its last
 * {@code backend.moderation.catch-up} events, so messages posted while it was away are moderated.
 * One thread does all of it, in order; a failed read is tried again with backoff.
 */
@ApplicationScoped
public class Moderator {

    private static final Logger LOG = Logger.getLogger(Moderator.class);
    private static final int RANGE_LIMIT = 1000;

    private static final class Room {
        long cursor;
        boolean known;
        boolean ignored;
        boolean retryScheduled;
        long wanted;
        int failures;
    }

    private final BackendConfig.Moderation config;
    private final GatewayConnection connection;
    private final GatewayPort gateway;
    private final GatewayWriter writer;
    private final TokenSource tokens;
    private final BackendMeters meters;
    private final ModerationRules rules;
    private final ModerationLog log = new ModerationLog(Clock.systemUTC());
    private final Map<String, Room> rooms = new HashMap<>();
    private volatile boolean logTopicSubmitted;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backend-moderator");
        t.setDaemon(true);
        return t;
    });

    public Moderator(BackendConfig config, GatewayConnection connection, GatewayPort gateway, GatewayWriter writer, TokenSource tokens,
            BackendMeters meters) {
        this.config = config.moderation();
        this.connection = connection;
        this.gateway = gateway;
        this.writer = writer;
        this.tokens = tokens;
        this.meters = meters;
        this.rules = new ModerationRules(new WordFilter(this.config.words()),
                new StrikeWindow(this.config.strikes().window(), Clock.systemUTC()), this.config.strikes().count(),
                this.config.principal(), new HashSet<>(this.config.exempt()));
    }

    /** Once connected, adds the log topic; subscribes to the rooms on every client the connection makes. */
    public void start() {
        if (!config.enabled()) {
            LOG.info("moderation is off");
            return;
        }
        LOG.infof("moderating %s: %d words, %d strikes in %s revoke", config.selector(), config.words().size(),
                config.strikes().count(), config.strikes().window());
        connection.onClient(client -> {
            if (!logTopicSubmitted) {
                logTopicSubmitted = true;
                writer.submit(ModerationOps.addTopic(config.logTopic(), ModerationLog.spec(config.logRetainedRange())));
            }
            subscribe(client);
        });
    }

    public void stop() {
        thread.shutdownNow();
    }

    private void subscribe(PushgateClient client) {
        client.subscribe(config.selector(), new ValueListener() {
            @Override
            public void onValue(String topic, long seq, JsonNode value) {
                thread.execute(() -> scan(topic, seq));
            }

            @Override
            public void onUnsubscribed(String topic, String reason) {
                if ("REMOVED".equals(reason)) {
                    thread.execute(() -> rooms.remove(topic));
                }
            }
        }).whenComplete((subscription, failure) -> {
            if (failure != null) {
                LOG.warnf("cannot subscribe to %s: %s", config.selector(), failure.getMessage());
            }
        });
    }

    /** On the moderator's thread: judges what the room got since the last event looked at. */
    private void scan(String topic, long seq) {
        Room room = rooms.computeIfAbsent(topic, t -> new Room());
        room.wanted = Math.max(room.wanted, seq);
        if (room.ignored || room.cursor >= room.wanted) {
            return;
        }
        rules.self(tokens.subject());
        try {
            if (!room.known) {
                JsonNode spec = gateway.spec(topic).orElse(null);
                if (spec == null) {
                    rooms.remove(topic);
                    return;
                }
                if (!"TIME_SERIES".equals(spec.path("type").asText())) {
                    LOG.infof("%s is not a time series: not a chat room", topic);
                    room.ignored = true;
                    return;
                }
                List<GatewayEvent> events = gateway.lastEvents(topic, Math.max(1, config.catchUp()));
                room.known = true;
                judge(topic, room, events);
            }
            while (room.cursor < room.wanted) {
                List<GatewayEvent> events = gateway.eventsFrom(topic, room.cursor + 1, RANGE_LIMIT);
                judge(topic, room, events);
                if (events.size() < RANGE_LIMIT) {
                    room.cursor = Math.max(room.cursor, room.wanted);
                }
            }
            room.failures = 0;
        } catch (GatewayException e) {
            retryLater(topic, room, e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "moderating %s failed", topic);
            retryLater(topic, room, null);
        }
    }

    private void judge(String topic, Room room, List<GatewayEvent> events) {
        for (GatewayEvent e : events) {
            if (e.seq() <= room.cursor) {
                continue;
            }
            room.cursor = e.seq();
            Verdict verdict = rules.judge(new ChatEvent(topic, e.seq(), e.author(), e.value(), e.editOf()));
            if (!verdict.acts()) {
                continue;
            }
            LOG.infof("bleeping %s #%d by %s (%s); strikes: %d%s", topic, e.seq(), e.author(), verdict.words(), verdict.strikes(),
                    verdict.revoke() ? ": revoking" : "");
            writer.submit(ModerationOps.bleep(verdict, config.logTopic(), log, v -> {
                meters.action("bleep");
                if (v.strikes() > 0) {
                    meters.action("strike");
                }
            }));
            if (verdict.revoke()) {
                writer.submit(ModerationOps.revoke(verdict, config.revokedPermissions(), config.logTopic(), log, writer::submit,
                        v -> meters.action("revoke")));
            }
        }
    }

    private void retryLater(String topic, Room room, GatewayException e) {
        room.failures++;
        if (room.retryScheduled) {
            return;
        }
        long wait = Math.min(30_000, 250L << Math.min(7, room.failures - 1));
        LOG.debugf("moderating %s: %s; again in %d ms", topic, e, wait);
        if (room.failures == 1) {
            LOG.warnf("cannot read the events of %s (%s); trying again", topic, e == null ? "error" : e.getMessage());
        }
        room.retryScheduled = true;
        thread.schedule(() -> {
            room.retryScheduled = false;
            scan(topic, room.wanted);
        }, wait, TimeUnit.MILLISECONDS);
    }
}
