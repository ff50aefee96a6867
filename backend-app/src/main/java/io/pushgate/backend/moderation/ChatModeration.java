package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.backend.gateway.GatewayEvent;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.backend.gateway.GatewayPort.View;
import io.pushgate.backend.write.WriteOp;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * What the moderator does with the topics it watches, with no thread and no subscription of its own
 * (the {@link Moderator} brings both): told that a topic has a new event ({@link #scan}), it reads
 * what came since the last event it looked at and acts through {@code submit} (the gateway writer).
 *
 * <ul>
 * <li><b>A room</b> (a time series the room selector matches) is read in the {@code edits} view:
 * every event as stored, originals and edits. Each version a person wrote, a new message or an edit
 * of one (an edit of an edit included), is judged by the {@link ModerationRules}: bleeped by an
 * edit of the message, struck, logged, and revoked at the last strike. So a clean message edited
 * into a flagged one, or a bleeped one edited back to what it was, is bleeped again like any
 * message. The moderator's own edits are not judged; but when one of them bleeped an older version
 * and landed after the author's newer edit, the author's version is put back (bleeped if need be).
 * Where the gateway refuses the {@code edits} view (the moderator lacks
 * {@code QUERY_OBSOLETE_TIME_SERIES_EVENTS}) it falls back to the {@code values} view, said once in
 * the log: then only new messages are judged, not edits.</li>
 * <li><b>A pre-moderated room's inbox</b> ({@code inbox/chat/lobby} for {@code chat/lobby}) holds
 * what people post there; nobody but the moderator reads it. Each version is judged the same way
 * and only then published in the room (a new message appended, an edit as an edit of it), already
 * bleeped, as the moderator's own event carrying the author: {@code {"text", "user", "from":
 * "<author>", "inbox": {"seq", "version"}, "bleeped"?: true}}. So no reader ever sees a flagged
 * word there.</li>
 * <li><b>The requests topic</b>: restore requests of moderators ({@link RestoreRequest}).</li>
 * </ul>
 *
 * <p>When it first sees a topic (at start, or a new one) it looks at its last {@code catch-up}
 * events: what was posted while it was away is moderated, and what it had already handled before a
 * restart is recognised (a message whose last version is followed by the moderator's own edit; a
 * relayed message whose version in the room is the inbox's latest).
 *
 * <p>Not thread-safe: the moderator's one thread calls it. A {@link GatewayException} from a read
 * leaves the topic where it was; the caller tries {@link #scan} again later.
 */
public final class ChatModeration {

    private static final Logger LOG = Logger.getLogger(ChatModeration.class);
    static final int RANGE_LIMIT = 1000;

    /** What a topic is to the moderator. */
    enum Kind {
        ROOM, INBOX, REQUESTS
    }

    /** Callbacks for what the gateway accepted (metrics). */
    public interface Actions {
        void accepted(String action);
    }

    private static final class Watched {
        final Kind kind;
        final String room;
        long cursor;
        long wanted;
        boolean known;
        boolean ignored;
        View view = View.EDITS;

        Watched(Kind kind, String room) {
            this.kind = kind;
            this.room = room;
        }
    }

    private final ModerationSettings settings;
    private final GatewayPort gateway;
    private final Consumer<WriteOp> submit;
    private final ModerationRules rules;
    private final ModerationLog log;
    private final Clock clock;
    private final Actions actions;
    private final Map<String, Watched> topics = new HashMap<>();
    private final MessageVersions versions;
    private final Map<String, ModerationOps.Relayed> relayed;
    private boolean valuesViewSaid;

    public ChatModeration(ModerationSettings settings, GatewayPort gateway, Consumer<WriteOp> submit, ModerationRules rules, Clock clock,
            Actions actions) {
        this.settings = settings;
        this.gateway = gateway;
        this.submit = submit;
        this.rules = rules;
        this.clock = clock;
        this.log = new ModerationLog(clock);
        this.actions = actions;
        this.versions = new MessageVersions(settings.trackedMessages());
        int limit = settings.trackedMessages();
        this.relayed = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ModerationOps.Relayed> eldest) {
                return size() > limit;
            }
        };
    }

    /** The topic got an event with this seq (or at least up to it): judges or relays what came since the last one looked at. */
    public void scan(String topic, long seq) {
        Watched w = topics.computeIfAbsent(topic, this::watch);
        w.wanted = Math.max(w.wanted, seq);
        if (w.ignored || w.cursor >= w.wanted) {
            return;
        }
        if (!w.known) {
            if (!firstSight(topic, w)) {
                return;
            }
        }
        while (w.cursor < w.wanted) {
            List<GatewayEvent> events = read(w, topic, view -> gateway.eventsFrom(topic, w.cursor + 1, RANGE_LIMIT, view));
            handle(topic, w, events, false);
            if (events.size() < RANGE_LIMIT) {
                w.cursor = Math.max(w.cursor, w.wanted);
            }
        }
    }

    /** The topic was removed: forgotten (a topic added again with that path starts afresh). */
    public void removed(String topic) {
        topics.remove(topic);
    }

    /** Messages whose versions are remembered (bounded by {@code tracked-messages}). */
    public int trackedMessages() {
        return versions.size();
    }

    private Watched watch(String topic) {
        if (topic.equals(settings.requestsTopic())) {
            return new Watched(Kind.REQUESTS, null);
        }
        String room = settings.roomOfInbox(topic);
        return room != null ? new Watched(Kind.INBOX, room) : new Watched(Kind.ROOM, topic);
    }

    /** Checks what the topic is and looks at its last events; false when it is no topic to watch. */
    private boolean firstSight(String topic, Watched w) {
        JsonNode spec = gateway.spec(topic).orElse(null);
        if (spec == null) {
            topics.remove(topic);
            return false;
        }
        if (!"TIME_SERIES".equals(spec.path("type").asText())) {
            LOG.infof("%s is not a time series: not watched", topic);
            w.ignored = true;
            return false;
        }
        if (w.kind == Kind.INBOX) {
            JsonNode roomSpec = gateway.spec(w.room).orElse(null);
            if (roomSpec == null || !"TIME_SERIES".equals(roomSpec.path("type").asText())
                    || !"JSON".equals(roomSpec.path("eventType").asText())) {
                LOG.warnf("%s is the inbox of %s, which is not a time series of JSON: nothing is relayed from it", topic, w.room);
                w.ignored = true;
                return false;
            }
        }
        List<GatewayEvent> events = read(w, topic, view -> gateway.lastEvents(topic, settings.catchUp(), view));
        if (w.kind == Kind.INBOX) {
            catchUpInbox(topic, w, events);
        } else {
            handle(topic, w, events, true);
        }
        w.known = true;
        return true;
    }

    /** Reads in the topic's view; the {@code edits} view refused falls back to {@code values} for good. */
    private List<GatewayEvent> read(Watched w, String topic, Function<View, List<GatewayEvent>> query) {
        if (w.kind == Kind.REQUESTS) {
            return query.apply(View.VALUES);
        }
        if (w.view == View.EDITS) {
            try {
                return query.apply(View.EDITS);
            } catch (GatewayException e) {
                if (e.code() != ErrorCode.PERMISSION_DENIED) {
                    throw e;
                }
                w.view = View.VALUES;
                if (!valuesViewSaid) {
                    valuesViewSaid = true;
                    LOG.warnf("the gateway refuses the moderator the edits view of %s (%s): edits are NOT judged. Give the moderator's role "
                            + "QUERY_OBSOLETE_TIME_SERIES_EVENTS on the rooms (and inboxes).", topic, e.getMessage());
                }
            }
        }
        return query.apply(View.VALUES);
    }

    private void handle(String topic, Watched w, List<GatewayEvent> events, boolean catchUp) {
        switch (w.kind) {
            case ROOM -> judgeRoom(topic, w, events, catchUp);
            case INBOX -> {
                for (GatewayEvent e : events) {
                    if (e.seq() > w.cursor) {
                        w.cursor = e.seq();
                        relay(w.room, topic, e, false);
                    }
                }
            }
            case REQUESTS -> {
                for (GatewayEvent e : events) {
                    if (e.seq() > w.cursor) {
                        w.cursor = e.seq();
                        request(e, !catchUp);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- rooms

    private void judgeRoom(String room, Watched w, List<GatewayEvent> events, boolean catchUp) {
        // At first sight: a version followed by the moderator's own edit of that message was handled before a restart.
        Map<Long, Long> lastOwnEdit = new HashMap<>();
        if (catchUp) {
            for (GatewayEvent e : events) {
                if (e.isEdit() && rules.isSelf(e.author())) {
                    lastOwnEdit.merge(e.editOf(), e.seq(), Math::max);
                }
            }
        }
        for (GatewayEvent e : events) {
            if (e.seq() <= w.cursor) {
                continue;
            }
            w.cursor = e.seq();
            ChatEvent event = new ChatEvent(room, e.seq(), e.author(), e.value(), e.editOf());
            if (rules.isSelf(e.author())) {
                if (event.isEdit()) {
                    checkOwnEdit(event);
                }
                continue;
            }
            versions.authored(room, event.messageSeq(), e.seq(), e.value());
            if (catchUp && lastOwnEdit.getOrDefault(event.messageSeq(), 0L) > e.seq()) {
                continue;
            }
            Verdict verdict = rules.judge(event);
            if (!verdict.acts()) {
                continue;
            }
            LOG.infof("bleeping %s #%d%s by %s (%s); strikes: %d%s", room, event.messageSeq(),
                    event.isEdit() ? " (its edit #" + e.seq() + ")" : "", e.author(), verdict.words(), verdict.strikes(),
                    verdict.revoke() ? ": revoking" : "");
            versions.asked(room, event.messageSeq(), verdict.bleeped());
            submit.accept(ModerationOps.bleep(verdict, settings.logTopic(), log, v -> {
                actions.accepted("bleep");
                if (v.strikes() > 0) {
                    actions.accepted("strike");
                }
            }));
            revokeIfDue(verdict, null);
        }
    }

    /**
     * The moderator's own edit of a message: if the author wrote a newer version before it landed,
     * the edit hid it; put the author's version back (bleeped if need be), unless that is already asked.
     */
    private void checkOwnEdit(ChatEvent own) {
        MessageVersions.Version latest = versions.latest(own.room(), own.messageSeq());
        if (latest == null || latest.seq() > own.seq()) {
            return;
        }
        JsonNode expected = rules.clean(latest.value());
        if (expected.equals(own.value()) || expected.equals(versions.asked(own.room(), own.messageSeq()))) {
            return;
        }
        LOG.infof("%s #%d: the moderator's edit #%d landed after its author's version #%d; putting that version back", own.room(),
                own.messageSeq(), own.seq(), latest.seq());
        versions.asked(own.room(), own.messageSeq(), expected);
        submit.accept(ModerationOps.reinstate(own.room(), own.messageSeq(), expected));
    }

    private void revokeIfDue(Verdict verdict, String inbox) {
        if (verdict.revoke()) {
            submit.accept(ModerationOps.revoke(verdict, settings, inbox, log, clock, submit, v -> actions.accepted("revoke")));
        }
    }

    // ---------------------------------------------------------------- pre-moderated rooms

    /**
     * At first sight of an inbox: which of its messages are in the room already, in which version
     * (the room's last events, relayed by the moderator, name their inbox seq and version), and
     * relays the latest version of each that is missing or behind. Relays go in inbox order, so
     * every inbox message up to the highest one found in the room was relayed (or given up) already.
     */
    private void catchUpInbox(String inbox, Watched w, List<GatewayEvent> events) {
        List<GatewayEvent> inRoom = gateway.lastEvents(w.room, Math.min(10_000, settings.catchUp() * 2), View.VALUES);
        long highestRelayed = 0;
        for (GatewayEvent e : inRoom) {
            JsonNode from = e.value() == null ? null : e.value().get("inbox");
            if (rules.isSelf(e.author()) && from != null && from.path("seq").canConvertToLong()) {
                long seq = from.path("seq").asLong();
                relayed.put(inbox + '#' + seq, new ModerationOps.Relayed(e.seq(), from.path("version").asLong(seq)));
                highestRelayed = Math.max(highestRelayed, seq);
            }
        }
        Map<Long, GatewayEvent> latest = new TreeMap<>();
        for (GatewayEvent e : events) {
            if (!rules.isSelf(e.author())) {
                latest.merge(e.editOf() != null ? e.editOf() : e.seq(), e, (a, b) -> a.seq() > b.seq() ? a : b);
            }
            w.cursor = Math.max(w.cursor, e.seq());
        }
        for (Map.Entry<Long, GatewayEvent> m : latest.entrySet()) {
            ModerationOps.Relayed known = relayed.get(inbox + '#' + m.getKey());
            if (known != null && known.version() >= m.getValue().seq()) {
                continue;
            }
            if (known == null && m.getKey() <= highestRelayed) {
                LOG.debugf("%s #%d: relayed before the room's last events, not looked at again", inbox, m.getKey());
                continue;
            }
            relay(w.room, inbox, m.getValue(), known == null);
        }
    }

    /** Judges one version of an inbox message and publishes it in the room (appended if it is the first, else as an edit). */
    private void relay(String room, String inbox, GatewayEvent e, boolean asNew) {
        if (rules.isSelf(e.author())) {
            return;
        }
        long inboxSeq = e.editOf() != null ? e.editOf() : e.seq();
        String key = inbox + '#' + inboxSeq;
        ModerationOps.Relayed known = relayed.get(key);
        boolean first = known == null;
        if (first && e.isEdit() && !asNew) {
            LOG.warnf("%s #%d: an edit of a message the moderator does not know (relayed too long ago): not relayed", inbox, inboxSeq);
            return;
        }
        ChatEvent event = new ChatEvent(room, e.seq(), e.author(), e.value(), e.editOf());
        Verdict verdict = rules.judge(event);
        JsonNode published = publishedValue(verdict.acts() ? verdict.bleeped() : e.value(), e.author(), inboxSeq, e.seq(), verdict.acts());
        if (published == null) {
            LOG.infof("%s #%d is not a chat message (an object with a text, or a string): not relayed", inbox, e.seq());
            return;
        }
        ModerationOps.Relayed target = first ? new ModerationOps.Relayed(null, e.seq()) : known;
        target.version = e.seq();
        relayed.put(key, target);
        if (verdict.acts()) {
            LOG.infof("relaying %s #%d by %s to %s bleeped (%s); strikes: %d%s", inbox, e.seq(), e.author(), room, verdict.words(),
                    verdict.strikes(), verdict.revoke() ? ": revoking" : "");
        }
        submit.accept(ModerationOps.relay(verdict, target, first, published, e.seq(), settings.logTopic(), log, v -> {
            actions.accepted("relay");
            if (v.acts()) {
                actions.accepted("bleep");
            }
            if (v.strikes() > 0) {
                actions.accepted("strike");
            }
        }));
        revokeIfDue(verdict, inbox);
    }

    /**
     * The value the room gets for a version of an inbox message: its fields (a string becomes
     * {@code {"text": ...}}) with {@code from} (the author, as the gateway says, which no poster can
     * forge in a room only the moderator writes), {@code inbox} and {@code bleeped} set by the
     * moderator; null for a value that is not a chat message.
     */
    static JsonNode publishedValue(JsonNode value, String author, long inboxSeq, long version, boolean bleeped) {
        ObjectNode out;
        if (value != null && value.isTextual()) {
            out = Json.MAPPER.createObjectNode();
            out.put("text", value.asText());
        } else if (value != null && value.isObject() && value.path("text").isTextual()) {
            out = ((ObjectNode) value).deepCopy();
            out.remove(List.of("from", "inbox", "bleeped"));
        } else {
            return null;
        }
        out.put("from", author == null ? "anonymous" : author);
        ObjectNode inbox = out.putObject("inbox");
        inbox.put("seq", inboxSeq);
        inbox.put("version", version);
        if (bleeped) {
            out.put("bleeped", true);
        }
        return out;
    }

    // ---------------------------------------------------------------- requests

    private void request(GatewayEvent e, boolean live) {
        RestoreRequest request;
        try {
            request = RestoreRequest.of(e);
        } catch (IllegalArgumentException bad) {
            LOG.warnf("%s #%d is not a request the moderator understands: %s", settings.requestsTopic(), e.seq(), bad.getMessage());
            return;
        }
        submit.accept(ModerationOps.restore(request, settings, log, clock, live, r -> actions.accepted("restore")));
    }
}
