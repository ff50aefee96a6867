package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.backend.write.WriteOp;
import io.pushgate.protocol.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The moderator's writes, run by the gateway writer in order with the prices. None is ever dropped
 * by the full buffer. Each is retried while the failure is transient (the gateway away or busy, the
 * token being renewed) and given up otherwise (the room was removed, the moderator may not edit or
 * change security there...). Steps already accepted are not repeated, but a step whose answer was
 * lost is (at least once): an edit may be made twice, with the same value.
 */
public final class ModerationOps {

    private static final Logger LOG = Logger.getLogger(ModerationOps.class);

    private ModerationOps() {
    }

    /** Steps run one after the other; a retry starts at the first step not yet accepted. */
    abstract static class Steps implements WriteOp {
        private final List<Consumer<GatewayPort>> steps = new ArrayList<>();
        private int done;

        Steps step(Consumer<GatewayPort> step) {
            steps.add(step);
            return this;
        }

        @Override
        public boolean droppable() {
            return false;
        }

        @Override
        public void run(GatewayPort gateway) {
            while (done < steps.size()) {
                steps.get(done).accept(gateway);
                done++;
            }
        }

        @Override
        public boolean givesUpOn(GatewayException failure) {
            return !failure.isTransient();
        }

        @Override
        public void done() {
        }
    }

    /** Adds a topic; one that exists with another spec is reported and used as it is. */
    public static WriteOp addTopic(String topic, JsonNode spec) {
        return new Steps() {
            @Override
            public void failed(GatewayException failure) {
                LOG.warnf("cannot add %s: %s", topic, failure);
            }

            @Override
            public String describe() {
                return "add " + topic;
            }
        }.step(g -> g.add(topic, spec));
    }

    /**
     * Edits the message with the bleeped value (the message's original seq, also when the version
     * judged was an edit: the gateway keeps the latest edit), then logs the bleep and the strike.
     */
    public static WriteOp bleep(Verdict verdict, String logTopic, ModerationLog log, Consumer<Verdict> onDone) {
        ChatEvent event = verdict.event();
        Steps op = new Steps() {
            @Override
            public void done() {
                onDone.accept(verdict);
            }

            @Override
            public void failed(GatewayException failure) {
                LOG.warnf("could not bleep %s #%d: %s", event.room(), event.seq(), failure);
            }

            @Override
            public String describe() {
                return "bleep of " + event.room() + " #" + event.seq();
            }
        };
        op.step(g -> g.edit(event.room(), event.messageSeq(), verdict.bleeped()));
        op.step(g -> g.append(logTopic, log.bleep(verdict)));
        if (verdict.strikes() > 0) {
            op.step(g -> g.append(logTopic, log.strike(verdict)));
        }
        return op;
    }

    /**
     * Edits a message back to its author's latest version (bleeped if need be): the moderator's own
     * bleep of an older version landed after the author's newer edit, and would otherwise hide it.
     */
    public static WriteOp reinstate(String room, long seq, JsonNode value) {
        return new Steps() {
            @Override
            public void failed(GatewayException failure) {
                LOG.warnf("could not reinstate the latest version of %s #%d: %s", room, seq, failure);
            }

            @Override
            public String describe() {
                return "reinstatement of " + room + " #" + seq;
            }
        }.step(g -> g.edit(room, seq, value));
    }

    /** A message of a pre-moderated room relayed to the room: its seq there, once the gateway gave it one. */
    public static final class Relayed {
        volatile Long roomSeq;
        volatile long version;

        public Relayed(Long roomSeq, long version) {
            this.roomSeq = roomSeq;
            this.version = version;
        }

        public Long roomSeq() {
            return roomSeq;
        }

        public long version() {
            return version;
        }
    }

    /**
     * Publishes a version of a pre-moderated message in the room: the first one is appended (and
     * {@code relayed} learns its seq in the room), later ones edit it. Then logs the bleep and the
     * strike, if the verdict acted, naming the message by its seq in the room and in the inbox.
     */
    public static WriteOp relay(Verdict verdict, Relayed relayed, boolean first, JsonNode published, long inboxSeq, String logTopic,
            ModerationLog log, Consumer<Verdict> onDone) {
        String room = verdict.event().room();
        Steps op = new Steps() {
            @Override
            public void done() {
                onDone.accept(verdict);
            }

            @Override
            public void failed(GatewayException failure) {
                LOG.warnf("could not relay %s's message (inbox #%d) to %s: %s", verdict.event().author(), inboxSeq, room, failure);
            }

            @Override
            public String describe() {
                return "relay of inbox #" + verdict.event().seq() + " to " + room;
            }
        };
        if (first) {
            op.step(g -> relayed.roomSeq = g.append(room, published));
        } else {
            op.step(g -> {
                if (relayed.roomSeq == null) {
                    throw GatewayException.refused(ErrorCode.NOT_FOUND, "the message was never relayed to " + room);
                }
                g.edit(room, relayed.roomSeq, published);
            });
        }
        if (verdict.acts()) {
            op.step(g -> g.append(logTopic, log.bleep(verdict, new ModerationLog.Subject(relayed.roomSeq, null, verdict.event().seq()))));
            if (verdict.strikes() > 0) {
                op.step(g -> g.append(logTopic, log.strike(verdict, new ModerationLog.Subject(relayed.roomSeq, null, verdict.event().seq()))));
            }
        }
        return op;
    }

    /**
     * Takes the author's right to post in the room away: reads the author's overrides, sets the
     * room's path to {@code keep} (and the room's inbox, for a pre-moderated room, to
     * {@link ModerationSettings#INBOX_KEPT}), lets the author read their status topic, writes them
     * back; publishes the revocation in the status topic (so the author's page knows at once); then
     * logs it. A failure that is given up is logged as {@code revoke-failed} through {@code submit}.
     */
    public static WriteOp revoke(Verdict verdict, ModerationSettings settings, String inbox, ModerationLog log, Clock clock,
            Consumer<WriteOp> submit, Consumer<Verdict> onDone) {
        return new Revocation(verdict, settings, inbox, log, clock, submit, onDone);
    }

    /** A session filter value in single quotes, a quote or backslash in it escaped. */
    static String quoted(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static final class Revocation extends Steps {
        private final Verdict verdict;
        private final String room;
        private final String principal;
        private final String statusTopic;
        private final String inbox;
        private final List<String> keep;
        private final Duration window;
        private final Clock clock;
        private final String id = UUID.randomUUID().toString();
        private final ModerationLog log;
        private final String logTopic;
        private final Consumer<WriteOp> submit;
        private final Consumer<Verdict> onDone;
        private boolean read;
        private JsonNode previous;
        private JsonNode previousInbox;

        Revocation(Verdict verdict, ModerationSettings settings, String inbox, ModerationLog log, Clock clock, Consumer<WriteOp> submit,
                Consumer<Verdict> onDone) {
            this.verdict = verdict;
            this.room = verdict.event().room();
            this.principal = verdict.event().author();
            this.statusTopic = settings.statusTopic(principal);
            this.inbox = inbox;
            this.keep = settings.revokedPermissions();
            this.window = settings.strikeWindow();
            this.clock = clock;
            this.log = log;
            this.logTopic = settings.logTopic();
            this.submit = submit;
            this.onDone = onDone;
            step(this::overrides);
            step(this::status);
            this.onRevoke = settings.onRevoke();
            if (onRevoke != ModerationSettings.SessionAction.NONE) {
                step(this::sessions);
            }
            step(g -> g.append(logTopic, log.revoke(verdict, keep, id)));
        }

        private final ModerationSettings.SessionAction onRevoke;

        /** The author's live sessions, on every replica: unsubscribed from the room, or closed, as configured. */
        private void sessions(GatewayPort g) {
            String filter = "$Principal is " + quoted(principal);
            int sessions = onRevoke == ModerationSettings.SessionAction.CLOSE
                    ? g.closeSessions(filter, "your right to post in " + room + " was revoked by the moderator")
                    : g.unsubscribeSessions(filter, ">" + room);
            LOG.infof("revocation of %s in %s: %s %d live session(s)", principal, room,
                    onRevoke == ModerationSettings.SessionAction.CLOSE ? "closed" : "unsubscribed", sessions);
        }

        private void overrides(GatewayPort g) {
            JsonNode current = g.principalOverrides(principal);
            if (!read) {
                // what the paths had before, from the first reading: a retry may read the revocation itself
                previous = PermissionOverrides.at(current, room);
                previousInbox = inbox == null ? null : PermissionOverrides.at(current, inbox);
                read = true;
            }
            JsonNode body = PermissionOverrides.revoke(current, room, keep);
            if (inbox != null) {
                body = PermissionOverrides.revoke(body, inbox, ModerationSettings.INBOX_KEPT);
            }
            g.putPrincipalOverrides(principal, PermissionOverrides.grant(body, statusTopic, ModerationSettings.STATUS_READ));
        }

        private void status(GatewayPort g) {
            JsonNode current = g.value(statusTopic).orElse(null);
            Instant now = clock.instant();
            PrincipalStatus.Revocation revocation = new PrincipalStatus.Revocation(id, now, verdict.strikes(), window, keep, previous,
                    inbox, previousInbox);
            g.set(statusTopic, PrincipalStatus.with(current, principal, room, revocation, now), PrincipalStatus.spec());
        }

        @Override
        public void done() {
            onDone.accept(verdict);
        }

        @Override
        public void failed(GatewayException failure) {
            LOG.warnf("could not revoke %s's right to post in %s: %s", principal, room, failure);
            submit.accept(append(logTopic, log.revokeFailed(verdict, failure.toString())));
        }

        @Override
        public String describe() {
            return "revocation of " + principal + " in " + room;
        }
    }

    /**
     * Gives a principal the right to post in a room back, at a moderator's request: only if the
     * principal's status still holds the revocation the request names (so a request read twice, or
     * one about a revocation already ended, changes nothing). Puts the room's override (and its
     * inbox's) back as it was before the revocation, keeps the principal's right to read its status,
     * removes the revocation from the status, and logs {@code restore}. A request that names no
     * current revocation is logged as {@code restore-refused} when {@code live} (a moderator is
     * waiting for it), and otherwise (a request read again at start) only skipped.
     */
    public static WriteOp restore(RestoreRequest request, ModerationSettings settings, ModerationLog log, Clock clock, boolean live,
            Consumer<RestoreRequest> onDone) {
        return new Restore(request, settings, log, clock, live, onDone);
    }

    private static final class Restore extends Steps {
        private final RestoreRequest request;
        private final String statusTopic;
        private final Clock clock;
        private final Consumer<RestoreRequest> onDone;
        private PrincipalStatus.Revocation revocation;
        private String refused;

        Restore(RestoreRequest request, ModerationSettings settings, ModerationLog log, Clock clock, boolean live,
                Consumer<RestoreRequest> onDone) {
            this.request = request;
            this.statusTopic = settings.statusTopic(request.principal());
            this.clock = clock;
            this.onDone = onDone;
            step(g -> {
                JsonNode status = g.value(statusTopic).orElse(null);
                revocation = PrincipalStatus.revocation(status, request.room()).orElse(null);
                if (revocation == null) {
                    refused = request.principal() + " has no revocation in " + request.room();
                } else if (!revocation.id().equals(request.id())) {
                    refused = "the revocation of " + request.principal() + " in " + request.room() + " is another one now";
                }
            });
            step(g -> {
                if (refused != null) {
                    return;
                }
                JsonNode body = PermissionOverrides.restore(g.principalOverrides(request.principal()), request.room(), revocation.previous());
                if (revocation.inbox() != null) {
                    body = PermissionOverrides.restore(body, revocation.inbox(), revocation.previousInbox());
                }
                g.putPrincipalOverrides(request.principal(), body);
            });
            step(g -> {
                if (refused != null) {
                    return;
                }
                JsonNode status = g.value(statusTopic).orElse(null);
                g.set(statusTopic, PrincipalStatus.without(status, request.principal(), request.room(), clock.instant()), PrincipalStatus.spec());
            });
            step(g -> {
                if (refused == null) {
                    g.append(settings.logTopic(), log.restore(request));
                } else if (live) {
                    g.append(settings.logTopic(), log.restoreRefused(request, refused));
                }
            });
        }

        @Override
        public void done() {
            if (refused == null) {
                LOG.infof("restored %s's right to post in %s (asked by %s)", request.principal(), request.room(), request.by());
                onDone.accept(request);
            } else {
                LOG.infof("restore request #%d not carried out: %s", request.seq(), refused);
            }
        }

        @Override
        public void failed(GatewayException failure) {
            LOG.warnf("could not restore %s's right to post in %s: %s", request.principal(), request.room(), failure);
        }

        @Override
        public String describe() {
            return "restore of " + request.principal() + " in " + request.room();
        }
    }

    /** Appends one event. */
    public static WriteOp append(String topic, JsonNode value) {
        return new Steps() {
            @Override
            public void failed(GatewayException failure) {
                LOG.warnf("could not append to %s: %s", topic, failure);
            }

            @Override
            public String describe() {
                return "append to " + topic;
            }
        }.step(g -> g.append(topic, value));
    }
}
