package io.pushgate.backend.prices;

import io.pushgate.backend.config.BackendConfig;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.metrics.BackendMeters;
import io.pushgate.backend.write.GatewayWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The price flow: each pipeline entry of a price channel is parsed and normalised, then handed to
 * the gateway writer as a {@link PriceOp}. The message is acknowledged (the stream entry
 * {@code XACK}ed) once the price is published or recognised as published, or when it cannot ever
 * be (an unreadable document, one the gateway refuses); an entry of another channel is
 * acknowledged at once; a price the full buffer drops is not acknowledged.
 */
@ApplicationScoped
public class PriceFlow {

    private static final Logger LOG = Logger.getLogger(PriceFlow.class);

    private final Set<String> priceChannels;
    private final String currency;
    private final BpiParser parser = new BpiParser();
    private final PricePublisher publisher;
    private final GatewayWriter writer;
    private final BackendMeters meters;

    public PriceFlow(BackendConfig config, PricePublisher publisher, GatewayWriter writer, BackendMeters meters) {
        this.priceChannels = Set.copyOf(config.stream().priceChannels());
        this.currency = config.prices().currency();
        this.publisher = publisher;
        this.writer = writer;
        this.meters = meters;
    }

    @Incoming("bridge-entries")
    public CompletionStage<Void> onEntry(Message<BridgeEntry> message) {
        BridgeEntry entry = message.getPayload();
        if (!priceChannels.contains(entry.channel())) {
            meters.entryIgnored();
            return message.ack();
        }
        BpiDocument document;
        try {
            document = parser.parse(entry.data());
        } catch (InvalidDocumentException e) {
            LOG.warnf("entry %s of %s is not a price document (%s); acknowledged and skipped", entry.id(), entry.channel(), e.getMessage());
            meters.price("invalid");
            return message.ack();
        }
        PriceUpdate update = new PriceUpdate(entry, document);
        writer.submit(new PriceOp(publisher, update, new PriceOp.Outcomes() {
            @Override
            public void handled(PricePublisher.Outcome outcome) {
                meters.price(outcome.name().toLowerCase(Locale.ROOT));
                if (outcome == PricePublisher.Outcome.PUBLISHED && document.rate(currency) != null) {
                    meters.lastPrice(document.rate(currency));
                } else if (outcome != PricePublisher.Outcome.PUBLISHED) {
                    LOG.debugf("%s: %s, not published again", update, outcome);
                }
                message.ack();
            }

            @Override
            public void rejected(GatewayException failure) {
                LOG.warnf("the gateway refused %s for good (%s); acknowledged and skipped", update, failure);
                meters.price("rejected");
                message.ack();
            }

            @Override
            public void dropped() {
                LOG.debugf("%s dropped: the buffer is full; it stays pending in %s", update, entry.channel());
                meters.price("dropped");
            }
        }));
        return CompletableFuture.completedFuture(null);
    }

    /** Prices waiting for the gateway are withdrawn (they stay pending upstream); for a restart of the consumer. */
    public List<?> withdrawWaiting() {
        return writer.withdraw(op -> op instanceof PriceOp);
    }
}
