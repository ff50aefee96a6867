package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.backend.write.WriteOp;
import java.util.ArrayList;
import java.util.List;
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

    /** Edits the event with the bleeped value, then logs the bleep and the strike. */
    public static WriteOp bleep(Verdict verdict, String logTopic, ModerationLog log, Consumer<Verdict> onDone) {
        Steps op = new Steps() {
            @Override
            public void done() {
                onDone.accept(verdict);
            }

            @Override
            public void failed(GatewayException failure) {
                LOG.warnf("could not bleep %s #%d: %s", verdict.event().room(), verdict.event().seq(), failure);
            }

            @Override
            public String describe() {
                return "bleep of " + verdict.event().room() + " #" + verdict.event().seq();
            }
        };
        op.step(g -> g.edit(verdict.event().room(), verdict.event().seq(), verdict.bleeped()));
        op.step(g -> g.append(logTopic, log.bleep(verdict)));
        if (verdict.strikes() > 0) {
            op.step(g -> g.append(logTopic, log.strike(verdict)));
        }
        return op;
    }

    /**
     * Takes the author's right to post in the room away: reads the author's overrides, sets the
     * room's path to {@code keep}, writes them back; then logs it. A failure that is given up is
     * logged as {@code revoke-failed} through {@code submit}.
     */
    public static WriteOp revoke(Verdict verdict, List<String> keep, String logTopic, ModerationLog log, Consumer<WriteOp> submit,
            Consumer<Verdict> onDone) {
        String room = verdict.event().room();
        String principal = verdict.event().author();
        Steps op = new Steps() {
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
        };
        op.step(g -> g.putPrincipalOverrides(principal, PermissionOverrides.revoke(g.principalOverrides(principal), room, keep)));
        op.step(g -> g.append(logTopic, log.revoke(verdict, keep)));
        return op;
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
