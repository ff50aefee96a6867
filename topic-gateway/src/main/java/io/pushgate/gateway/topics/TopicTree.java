package io.pushgate.gateway.topics;

import io.pushgate.gateway.selectors.TopicSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The topics this gateway knows, by path, sorted so that a subtree lies in one contiguous range:
 * a selector rooted at {@code prices/btc} scans the keys from {@code prices/btc} up to
 * {@code prices/btc0} ('0' follows '/'), never the whole tree. That range also holds a few
 * siblings such as {@code prices/btc-eur} ('-' and '.' sort before '/'); the selector's own
 * match filters them out.
 *
 * <p>Reads are lock-free from any thread. Writes come from the single change applier
 * (the replication package's {@code TopicMirror}), so add and remove never race each other.
 */
public final class TopicTree {

    private final ConcurrentSkipListMap<String, Topic> topics = new ConcurrentSkipListMap<>();
    /**
     * The same topics by path, for the lookups of single paths that every write and update makes
     * several times: a hash lookup rather than a walk of the skip list comparing long paths (6% of
     * the ingest profile). Written with {@link #topics} by the single writer, the sorted map last on
     * add and first on remove, so that a topic found by a scan is found by {@link #get} too.
     */
    private final ConcurrentHashMap<String, Topic> byPath = new ConcurrentHashMap<>();
    private final AtomicLong nextTid = new AtomicLong(1);

    public Topic get(String path) {
        return byPath.get(path);
    }

    /** Adds a topic with a fresh tid, or returns the one already at that path. */
    public Topic add(String path, TopicSpec spec, Topic.State state) {
        Topic topic = byPath.computeIfAbsent(path, p -> new Topic(p, spec, nextTid.getAndIncrement(), state));
        topics.putIfAbsent(path, topic);
        return topic;
    }

    public Topic remove(String path) {
        Topic removed = topics.remove(path);
        byPath.remove(path);
        return removed;
    }

    public int size() {
        return byPath.size();
    }

    /** Calls {@code action} for each topic the selector matches, scanning only its subtree. */
    public void forEachMatching(TopicSelector selector, Consumer<Topic> action) {
        for (Topic topic : candidates(selector.rootPath()).values()) {
            if (selector.matches(topic.path())) {
                action.accept(topic);
            }
        }
    }

    public List<Topic> matching(TopicSelector selector) {
        List<Topic> result = new ArrayList<>();
        forEachMatching(selector, result::add);
        return result;
    }

    public Iterable<Topic> all() {
        return topics.values();
    }

    private Map<String, Topic> candidates(String root) {
        if (root == null || root.isEmpty()) {
            return topics;
        }
        // [root, root + "0"): the root, every descendant, and siblings like root-x (filtered by the caller).
        ConcurrentNavigableMap<String, Topic> subtree = topics.subMap(root, true, root + "0", false);
        return subtree;
    }
}
