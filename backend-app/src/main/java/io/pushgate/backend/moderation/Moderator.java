package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.backend.config.BackendConfig;
import io.pushgate.backend.gateway.GatewayConnection;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.backend.gateway.TokenSource;
import io.pushgate.backend.metrics.BackendMeters;
import io.pushgate.backend.write.GatewayWriter;
import io.pushgate.client.PushgateClient;
import io.pushgate.client.ValueListener;
import io.pushgate.support.backoff.Backoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The chat moderator (the reference tutorial's challenge). It subscribes through the client library
 * to the rooms ({@code ?chat/} by default), to the inboxes of pre-moderated rooms ({@code ?inbox/})
 * and to the requests topic; a new event is only the signal: {@link ChatModeration} reads the events
 * themselves, with their authors and edits, with range queries from the last one looked at, and
 * decides; what it decides is written through the gateway writer.
 *
 * <p>One thread does all of it, in order; a failed read is tried again with backoff.
 */
@ApplicationScoped
public class Moderator {

    private static final Logger LOG = Logger.getLogger(Moderator.class);
    /** Between attempts to read a topic's events: 250 ms doubling up to 30 s, counted per topic. */
    private static final Backoff READ_RETRY = Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(30));

    private static final class Retry {
        boolean scheduled;
        long wanted;
        int failures;
    }

    private final BackendConfig.Moderation config;
    private final ModerationSettings settings;
    private final GatewayConnection connection;
    private final GatewayWriter writer;
    private final TokenSource tokens;
    private final ModerationRules rules;
    private final ChatModeration moderation;
    private final Map<String, Retry> retries = new HashMap<>();
    private volatile boolean topicsSubmitted;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backend-moderator");
        t.setDaemon(true);
        return t;
    });

    public Moderator(BackendConfig config, GatewayConnection connection, GatewayPort gateway, GatewayWriter writer, TokenSource tokens,
            BackendMeters meters) {
        this.config = config.moderation();
        this.settings = ModerationSettings.of(this.config);
        this.connection = connection;
        this.writer = writer;
        this.tokens = tokens;
        this.rules = new ModerationRules(new WordFilter(this.config.words()),
                new StrikeWindow(this.config.strikes().window(), Clock.systemUTC()), this.config.strikes().count(),
                this.config.principal(), new HashSet<>(this.config.exempt()));
        this.moderation = new ChatModeration(settings, gateway, writer::submit, rules, Clock.systemUTC(), meters::action);
    }

    /** Once connected, adds the log and requests topics; subscribes on every client the connection makes. */
    public void start() {
        if (!config.enabled()) {
            LOG.info("moderation is off");
            return;
        }
        LOG.infof("moderating %s%s: %d words, %d strikes in %s revoke; restore requests on %s", config.selector(),
                settings.preModeration() ? " (pre-moderated where " + settings.inboxPrefix() + "/<room> exists)" : "",
                config.words().size(), config.strikes().count(), config.strikes().window(), settings.requestsTopic());
        connection.onClient(client -> {
            if (!topicsSubmitted) {
                topicsSubmitted = true;
                writer.submit(ModerationOps.addTopic(config.logTopic(), ModerationLog.spec(config.logRetainedRange())));
                writer.submit(ModerationOps.addTopic(settings.requestsTopic(), ModerationLog.spec(config.logRetainedRange())));
            }
            for (String selector : selectors()) {
                subscribe(client, selector);
            }
        });
    }

    public void stop() {
        thread.shutdownNow();
    }

    /** The rooms, the inboxes (when pre-moderation is on) and the requests topic. */
    List<String> selectors() {
        List<String> selectors = new ArrayList<>();
        selectors.add(config.selector());
        if (settings.preModeration()) {
            selectors.add("?" + settings.inboxPrefix().replace(".", "\\.") + "/");
        }
        selectors.add(">" + settings.requestsTopic());
        return selectors;
    }

    private void subscribe(PushgateClient client, String selector) {
        client.subscribe(selector, new ValueListener() {
            @Override
            public void onValue(String topic, long seq, JsonNode value) {
                thread.execute(() -> scan(topic, seq));
            }

            @Override
            public void onUnsubscribed(String topic, String reason) {
                if ("REMOVED".equals(reason)) {
                    thread.execute(() -> {
                        moderation.removed(topic);
                        retries.remove(topic);
                    });
                }
            }
        }).whenComplete((subscription, failure) -> {
            if (failure != null) {
                LOG.warnf("cannot subscribe to %s: %s", selector, failure.getMessage());
            }
        });
    }

    /** On the moderator's thread. */
    private void scan(String topic, long seq) {
        rules.self(tokens.subject());
        Retry retry = retries.computeIfAbsent(topic, t -> new Retry());
        retry.wanted = Math.max(retry.wanted, seq);
        try {
            moderation.scan(topic, retry.wanted);
            retry.failures = 0;
        } catch (GatewayException e) {
            retryLater(topic, retry, e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "moderating %s failed", topic);
            retryLater(topic, retry, null);
        }
    }

    private void retryLater(String topic, Retry retry, GatewayException e) {
        retry.failures++;
        if (retry.scheduled) {
            return;
        }
        long wait = READ_RETRY.delay(retry.failures - 1).toMillis();
        LOG.debugf("moderating %s: %s; again in %d ms", topic, e, wait);
        if (retry.failures == 1) {
            LOG.warnf("cannot read the events of %s (%s); trying again", topic, e == null ? "error" : e.getMessage());
        }
        retry.scheduled = true;
        thread.schedule(() -> {
            retry.scheduled = false;
            scan(topic, retry.wanted);
        }, wait, TimeUnit.MILLISECONDS);
    }
}
