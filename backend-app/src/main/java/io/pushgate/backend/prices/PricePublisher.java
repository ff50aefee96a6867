package io.pushgate.backend.prices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.backend.gateway.GatewayEvent;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.protocol.ErrorCode;
import java.math.BigDecimal;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes each price to the gateway with three writes, in this order: an event of the history
 * time series (the price in one currency), {@code prices/btc/raw} (the document as received), and
 * {@code prices/btc} (the normalised document, its {@code change}, and its {@link PriceCheckpoint}).
 *
 * <h2>Every price once in the history, none twice</h2>
 * Entries come at least once and in stream order (a restart re-reads what was not acknowledged; the
 * bridge and the feeder may each, rarely, send one twice), and an append whose answer was lost may
 * or may not have happened. So:
 * <ul>
 * <li>A price is skipped ({@link Outcome#DUPLICATE}) when its pipeline stream id is not after the
 * checkpoint's, when it is the same input stream entry again (bridge re-forward), or when its
 * source time is the checkpoint's and its rates too (the feeder's rare double publish); and
 * ({@link Outcome#STALE}) when its source time is before the checkpoint's.</li>
 * <li>The checkpoint is read back from the gateway at start ({@code prices/btc}'s {@code pipeline})
 * with the history's last event. If the history went past the checkpoint's {@code historySeq}, the
 * service stopped between the append and the last write, and the next price's append is the one
 * that happened.</li>
 * <li>Before appending after an in-doubt failure (or after such a start), it looks at the history's
 * last event: one newer than the last append accounted for, with this price, is this price's
 * append, taken as done.</li>
 * </ul>
 * This holds for one writer of the history at a time: run one consumer of the pipeline stream.
 *
 * <p>Not thread-safe: the writer's one thread calls it.
 */
public final class PricePublisher {

    /** What became of a price. */
    public enum Outcome { PUBLISHED, DUPLICATE, STALE }

    private static final Logger LOG = Logger.getLogger(PricePublisher.class);

    private final PriceTopics topics;
    private boolean recovered;
    private PriceCheckpoint last;
    /** The seq of the last history event this publisher accounts for (appended, or found at start). */
    private long knownHistorySeq;
    /** An append may have happened that {@link #knownHistorySeq} does not account for. */
    private boolean historyInDoubt;

    public PricePublisher(PriceTopics topics) {
        this.topics = topics;
    }

    /** Reads the state back from the gateway before the next price (after a restart of the consumer). */
    public void reset() {
        recovered = false;
    }

    /** Whether the state was read back from the gateway since the last {@link #reset()}. */
    public boolean recovered() {
        return recovered;
    }

    /** The last price published (or read back at start), or null. */
    public PriceCheckpoint last() {
        return last;
    }

    /** Adds the topics if needed and reads the checkpoint back from the gateway. */
    public void recover(GatewayPort gateway) {
        addHistory(gateway);
        PriceCheckpoint checkpoint = gateway.value(topics.price()).map(PriceCheckpoint::fromDocument).orElse(null);
        List<GatewayEvent> lastEvents = gateway.lastEvents(topics.history(), 1);
        long lastSeq = lastEvents.isEmpty() ? 0 : lastEvents.get(lastEvents.size() - 1).seq();
        last = checkpoint;
        if (checkpoint != null && checkpoint.historySeq() > 0 && checkpoint.historySeq() <= lastSeq) {
            knownHistorySeq = checkpoint.historySeq();
            historyInDoubt = lastSeq > knownHistorySeq;
        } else {
            // no checkpoint, or a history that was removed since: nothing to reconcile
            knownHistorySeq = lastSeq;
            historyInDoubt = false;
        }
        recovered = true;
        LOG.infof("publishing prices after %s (history at seq %d%s)", checkpoint == null ? "nothing yet" : "entry " + checkpoint.id(),
                lastSeq, historyInDoubt ? ", the next price's event already appended" : "");
    }

    /**
     * Publishes a price, going on from where a failed earlier attempt left it.
     *
     * @throws GatewayException when a write was not accepted; call again to go on
     */
    public Outcome publish(GatewayPort gateway, PriceUpdate update) {
        if (!recovered) {
            recover(gateway);
        }
        if (update.historySeq == 0) {
            Outcome old = judge(update);
            if (old != Outcome.PUBLISHED) {
                return old;
            }
        }
        BigDecimal price = update.document().rate(topics.currency());
        if (price == null) {
            throw GatewayException.refused(ErrorCode.INVALID, "the document has no " + topics.currency() + " rate");
        }
        try {
            if (update.historySeq == 0) {
                appendHistory(gateway, update, price);
            }
            if (!update.rawSet) {
                gateway.set(topics.raw(), update.document().raw(), topics.jsonSpec());
                update.rawSet = true;
            }
            if (update.published == null) {
                update.published = document(update, price);
            }
            gateway.set(topics.price(), update.published, topics.jsonSpec());
        } catch (GatewayException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                recovered = false; // the history was removed: add it again and read the state back
            }
            throw e;
        }
        last = PriceCheckpoint.of(update);
        return Outcome.PUBLISHED;
    }

    /** Adds the history; one that exists as a time series of DOUBLE with other properties is used as it is. */
    private void addHistory(GatewayPort gateway) {
        try {
            gateway.add(topics.history(), topics.historySpec());
        } catch (GatewayException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                throw e;
            }
            JsonNode spec = gateway.spec(topics.history()).orElseThrow(() -> e);
            if (!"TIME_SERIES".equals(spec.path("type").asText()) || !"DOUBLE".equals(spec.path("eventType").asText())) {
                throw new GatewayException(ErrorCode.CONFLICT, topics.history() + " exists as " + spec + ", not a time series of DOUBLE", false);
            }
            LOG.warnf("%s exists with the spec %s; using it as it is", topics.history(), spec);
        }
    }

    private void appendHistory(GatewayPort gateway, PriceUpdate update, BigDecimal price) {
        if (historyInDoubt) {
            List<GatewayEvent> lastEvents = gateway.lastEvents(topics.history(), 1);
            GatewayEvent lastEvent = lastEvents.isEmpty() ? null : lastEvents.get(lastEvents.size() - 1);
            historyInDoubt = false;
            if (lastEvent != null && lastEvent.seq() > knownHistorySeq && lastEvent.value() != null && lastEvent.value().isNumber()
                    && lastEvent.value().decimalValue().compareTo(price) == 0) {
                LOG.infof("%s: its history event #%d was appended before; not appending again", update, lastEvent.seq());
                update.historySeq = lastEvent.seq();
                knownHistorySeq = lastEvent.seq();
                return;
            }
        }
        try {
            update.historySeq = gateway.append(topics.history(), DecimalNode.valueOf(price));
            knownHistorySeq = update.historySeq;
        } catch (GatewayException e) {
            historyInDoubt = e.inDoubt();
            throw e;
        }
    }

    private Outcome judge(PriceUpdate update) {
        PriceCheckpoint cp = last;
        if (cp == null) {
            return Outcome.PUBLISHED;
        }
        BridgeEntry e = update.entry();
        if (!e.id().isAfter(cp.id())) {
            return Outcome.DUPLICATE;
        }
        if (e.sourceId() != null && cp.sourceId() != null && e.channel().equals(cp.channel()) && !e.sourceId().isAfter(cp.sourceId())) {
            return Outcome.DUPLICATE;
        }
        if (update.document().time() != null && cp.time() != null) {
            int c = update.document().time().compareTo(cp.time());
            if (c < 0) {
                return Outcome.STALE;
            }
            if (c == 0 && update.document().sameRatesAs(cp.rates())) {
                return Outcome.DUPLICATE;
            }
        }
        return Outcome.PUBLISHED;
    }

    private ObjectNode document(PriceUpdate update, BigDecimal price) {
        ObjectNode doc = update.document().normalised().deepCopy();
        BigDecimal previous = last == null ? null : last.rate(topics.currency());
        doc.set("change", PriceChange.of(topics.currency(), previous, price));
        doc.set(PriceCheckpoint.FIELD, new PriceCheckpoint(update.entry().id(), update.entry().channel(), update.entry().sourceId(),
                update.historySeq, update.document().time(), update.document().rates()).toJson());
        return doc;
    }
}
