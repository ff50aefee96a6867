package io.pushgate.gateway.memory;

import io.pushgate.gateway.timeseries.RetentionRange;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.StoredTopic;
import io.pushgate.gateway.topics.TopicChanges;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The topic store in this process's memory, for one node ({@code gateway.store=memory}) and for
 * tests: the same checks, seqs, errors and change order as {@code redis.RedisTopicStore} (whose
 * Lua scripts it follows step by step), and the events of time series kept here with their
 * retention ({@link MemoryEventHistory} reads them). Every write is one step under this object's
 * lock, and its change is handed to the {@link MemoryChangeStream} inside it; the write's stage
 * completes once the change was delivered.
 */
public final class MemoryTopicStore implements TopicStore {

    /** One topic: what the Redis hash and stream of a topic hold. */
    static final class Entry {
        final TopicSpec spec;
        /** The type the topic was added with: the spec's, or the first value's when a set added it. */
        final String type;
        long seq;
        TopicValue value;
        /** A time series' retained events, oldest first (originals and edits). */
        final List<TimeSeriesEvent> events = new ArrayList<>();

        Entry(TopicSpec spec, String type) {
            this.spec = spec;
            this.type = type;
        }
    }

    private final Map<String, Entry> topics = new HashMap<>();
    private final MemoryChangeStream changes;
    private final LongSupplier clockMillis;
    /** Event times never go back, as they come from one clock in the Redis store (ranges by time rely on it). */
    private long lastMillis;

    public MemoryTopicStore(MemoryChangeStream changes) {
        this(changes, System::currentTimeMillis);
    }

    MemoryTopicStore(MemoryChangeStream changes, LongSupplier clockMillis) {
        this.changes = changes;
        this.clockMillis = clockMillis;
    }

    @Override
    public synchronized CompletionStage<Boolean> add(String path, TopicSpec spec) {
        Entry entry = topics.get(path);
        if (entry != null) {
            return entry.spec.equals(spec) ? CompletableFuture.completedFuture(false)
                    : failed(ErrorCode.CONFLICT, path + " exists with another spec: " + entry.spec.canonicalJson());
        }
        topics.put(path, new Entry(spec, spec.type().name()));
        return publish(t -> t.added(path, spec), true);
    }

    @Override
    public synchronized CompletionStage<Long> set(String path, TopicValue value, TopicSpec addSpec, Long ifSeq) {
        Entry entry = topics.get(path);
        boolean added = false;
        if (entry == null) {
            if (addSpec == null) {
                return failed(ErrorCode.NOT_FOUND, "no topic " + path + ": add it first, or set it with a spec");
            }
            entry = new Entry(addSpec, value.type().name());
            added = true;
        } else if (addSpec != null && !addSpec.equals(entry.spec)) {
            return failed(ErrorCode.CONFLICT, path + " exists with another spec: " + entry.spec.canonicalJson());
        } else if (!entry.type.equals(value.type().name())) {
            return failed(ErrorCode.INVALID, path + " is a " + entry.type + " topic, not " + value.type().name());
        }
        if (ifSeq != null && ifSeq != entry.seq) {
            if (added) {
                // set_batch.lua adds the topic before it checks the seq: the addition stands, the set is refused
                topics.put(path, entry);
                TopicSpec spec = entry.spec;
                publish(t -> t.added(path, spec), null);
            }
            return failed(ErrorCode.CONFLICT, path + " is at seq " + entry.seq + ", not " + ifSeq);
        }
        topics.put(path, entry);
        long seq = ++entry.seq;
        if (entry.spec.retainsValue()) {
            entry.value = value;
        }
        TopicSpec spec = entry.spec;
        boolean announce = added;
        String text = value.text();
        return publish(t -> {
            if (announce) {
                t.added(path, spec);
            }
            t.set(path, seq, text);
        }, seq);
    }

    @Override
    public synchronized CompletionStage<Long> append(String path, TopicSpec spec, TopicValue value, String author, Long editOf,
                                                     boolean ownOnly) {
        Entry entry = topics.get(path);
        if (entry == null) {
            return failed(ErrorCode.NOT_FOUND, "no topic " + path);
        }
        if (!entry.spec.equals(spec)) {
            if (!TopicType.TIME_SERIES.name().equals(entry.type)) {
                return failed(ErrorCode.INVALID, path + " is not a time series: use set");
            }
            return failed(ErrorCode.CONFLICT, path + " was replaced by a topic with another spec: " + entry.spec.canonicalJson());
        }
        Long of = editOf;
        if (editOf != null) {
            TimeSeriesEvent original = event(entry, editOf);
            if (original == null) {
                return failed(ErrorCode.NOT_FOUND, path + " has no event " + editOf + " (never, or no longer retained)");
            }
            String originalAuthor = original.author();
            if (original.isEdit()) {
                // An edit of an edit edits the original; with ownOnly the original's author counts (append.lua says why).
                of = original.editOf();
                TimeSeriesEvent first = event(entry, of);
                if (ownOnly && first != null) {
                    originalAuthor = first.author();
                }
            }
            if (ownOnly && !originalAuthor.equals(author)) {
                return failed(ErrorCode.PERMISSION_DENIED, "event " + editOf + " of " + path + " is not yours to edit");
            }
        }
        long millis = Math.max(lastMillis, clockMillis.getAsLong());
        lastMillis = millis;
        long seq = ++entry.seq;
        entry.events.add(new TimeSeriesEvent(seq, millis, author, value, of));
        entry.value = value;
        retain(entry, RetentionRange.parse(spec.property("TIME_SERIES_RETAINED_RANGE"), RetentionRange.UNBOUNDED), millis);
        Long editedSeq = of;
        String text = value.text();
        return publish(t -> t.event(path, seq, millis, editedSeq, author, text), seq);
    }

    private static TimeSeriesEvent event(Entry entry, long seq) {
        for (TimeSeriesEvent e : entry.events) {
            if (e.seq() == seq) {
                return e;
            }
        }
        return null;
    }

    /** Drops the events past the retained range: beyond its count, and older than its age. */
    private static void retain(Entry entry, RetentionRange retained, long nowMillis) {
        if (retained.limit() > 0) {
            while (entry.events.size() > retained.limit()) {
                entry.events.remove(0);
            }
        }
        long age = retained.last().toMillis();
        if (age > 0) {
            long cutoff = nowMillis - age;
            entry.events.removeIf(e -> e.timeMillis() < cutoff);
        }
    }

    @Override
    public synchronized CompletionStage<Boolean> raiseSeq(String path, long floor) {
        Entry entry = topics.get(path);
        if (entry == null || entry.seq >= floor) {
            return CompletableFuture.completedFuture(false);
        }
        entry.seq = floor;
        if (entry.value == null || !entry.spec.retainsValue() || TopicType.TIME_SERIES.name().equals(entry.type)) {
            return CompletableFuture.completedFuture(true);
        }
        String text = entry.value.text();
        return publish(t -> t.set(path, floor, text), true);
    }

    @Override
    public synchronized CompletionStage<Boolean> remove(String path) {
        if (topics.remove(path) == null) {
            return CompletableFuture.completedFuture(false);
        }
        return publish(t -> t.removed(path), true);
    }

    @Override
    public synchronized CompletionStage<Optional<StoredTopic>> load(String path) {
        Entry entry = topics.get(path);
        return CompletableFuture.completedFuture(Optional.ofNullable(entry == null ? null : stored(path, entry)));
    }

    @Override
    public synchronized CompletionStage<List<StoredTopic>> loadAll() {
        List<StoredTopic> all = new ArrayList<>();
        topics.forEach((path, entry) -> all.add(stored(path, entry)));
        return CompletableFuture.completedFuture(all);
    }

    /** A time series' retained events, oldest first (a copy). */
    synchronized List<TimeSeriesEvent> events(String path) {
        Entry entry = topics.get(path);
        return entry == null ? List.of() : new ArrayList<>(entry.events);
    }

    private static StoredTopic stored(String path, Entry entry) {
        TopicValue value = entry.spec.retainsValue() && entry.value != null
                ? TopicValue.fromText(entry.spec.valueType(), entry.value.text()) : null;
        return new StoredTopic(path, entry.spec, entry.seq, value);
    }

    /** Publishes one change of the topic tree: one message of the store, so the listener's batch ends with it. */
    private <T> CompletableFuture<T> publish(Consumer<TopicChanges> change, T result) {
        return changes.publish(l -> {
            change.accept(l.topics());
            l.topics().endOfBatch();
        }, result);
    }

    private static <T> CompletableFuture<T> failed(ErrorCode code, String message) {
        return CompletableFuture.failedFuture(new ProtocolException(code, message));
    }
}
