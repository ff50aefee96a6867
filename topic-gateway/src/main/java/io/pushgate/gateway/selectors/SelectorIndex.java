package io.pushgate.gateway.selectors;

import io.pushgate.protocol.TopicPath;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which subscribers have a selector that selects a given topic path: asked each time a topic is added.
 *
 * <p>Selectors are filed in a trie of path segments. A path selector ({@code >a/b}, {@code >a/b/},
 * {@code >a/b//}, and the literal patterns that normalize to one) sits at its path's node, so a lookup
 * answers all of them by walking the path's segments: its cost grows with the path's depth, not with
 * the number of selectors. A pattern sits at the node of its {@link TopicSelector#rootPath()}, and is
 * evaluated only when the path goes through that node: {@code ?prices/[a-z]+} costs nothing to topics
 * outside {@code prices}. A pattern shared by many subscribers is evaluated once. A selector set is
 * filed as its members.
 *
 * <p>Thread-safety: lookups take no lock; they read concurrent maps that writers change in place.
 * Writers ({@code add}, {@code remove}, {@code removeAll}) take one lock, which keeps the reference
 * counts and the pruning of empty nodes simple; each write costs O(depth) per selector member. A lookup
 * concurrent with a write sees that write or not, per selector member.
 *
 * @param <S> the subscriber (a session), compared with {@code equals}
 */
public final class SelectorIndex<S> {

    /** A trie node: the selectors whose path (or root path, for patterns) is this node's path. */
    private static final class Node<S> {
        final Node<S> parent;
        final String segment;
        final Map<String, Node<S>> children = new ConcurrentHashMap<>();
        /** For each qualifier, the subscribers of path selectors at this path, with how many selectors. */
        final Map<DescendantQualifier, Map<S, Integer>> paths = new ConcurrentHashMap<>();
        /** Pattern selectors rooted here, each with its subscribers and how many selectors. */
        final Map<TopicSelector, Map<S, Integer>> patterns = new ConcurrentHashMap<>();

        Node(Node<S> parent, String segment) {
            this.parent = parent;
            this.segment = segment;
        }

        boolean isEmpty() {
            return children.isEmpty() && paths.isEmpty() && patterns.isEmpty();
        }
    }

    private final Object writeLock = new Object();
    private final Node<S> root = new Node<>(null, "");
    /** The selectors of each subscriber, as added (sets not expanded). Only used under the lock. */
    private final Map<S, Set<TopicSelector>> selectorsBySubscriber = new HashMap<>();
    private volatile int size;

    /** Registers a selector for a subscriber; adding the same pair again changes nothing. */
    public void add(TopicSelector selector, S subscriber) {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(subscriber, "subscriber");
        synchronized (writeLock) {
            Set<TopicSelector> selectors = selectorsBySubscriber.computeIfAbsent(subscriber, s -> new HashSet<>());
            if (!selectors.add(selector)) {
                return;
            }
            for (TopicSelector member : selector.members()) {
                file(member, subscriber);
            }
            size++;
        }
    }

    /** Unregisters a selector of a subscriber; false if it was not registered. */
    public boolean remove(TopicSelector selector, S subscriber) {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(subscriber, "subscriber");
        synchronized (writeLock) {
            Set<TopicSelector> selectors = selectorsBySubscriber.get(subscriber);
            if (selectors == null || !selectors.remove(selector)) {
                return false;
            }
            if (selectors.isEmpty()) {
                selectorsBySubscriber.remove(subscriber);
            }
            unfileAll(selector, subscriber);
            return true;
        }
    }

    /** Unregisters every selector of a subscriber (its session closed). */
    public void removeAll(S subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        synchronized (writeLock) {
            Set<TopicSelector> selectors = selectorsBySubscriber.remove(subscriber);
            if (selectors != null) {
                for (TopicSelector selector : selectors) {
                    unfileAll(selector, subscriber);
                }
            }
        }
    }

    /** The subscribers with at least one selector that selects {@code path}; empty for an invalid path. */
    public Set<S> subscribersMatching(String path) {
        Set<S> found = new HashSet<>();
        if (path == null || !TopicPath.isValid(path)) {
            return found;
        }
        Node<S> node = root;
        collectBelow(node, found); // every topic is below the root
        collectPatterns(node, path, found);
        int start = 0;
        while (node != null) {
            int slash = path.indexOf('/', start);
            node = node.children.get(slash < 0 ? path.substring(start) : path.substring(start, slash));
            if (node == null) {
                break;
            }
            collectPatterns(node, path, found);
            if (slash < 0) {
                collect(node, DescendantQualifier.MATCH, found);
                collect(node, DescendantQualifier.MATCH_AND_DESCENDANTS, found);
                break;
            }
            collectBelow(node, found);
            start = slash + 1;
        }
        return found;
    }

    /** The number of (selector, subscriber) pairs registered. */
    public int size() {
        return size;
    }

    /** Trie nodes besides the root: for tests that removal leaves nothing behind. */
    int nodeCount() {
        return countBelow(root);
    }

    private static int countBelow(Node<?> node) {
        int count = 0;
        for (Node<?> child : node.children.values()) {
            count += 1 + countBelow(child);
        }
        return count;
    }

    private void collectBelow(Node<S> ancestor, Set<S> found) {
        collect(ancestor, DescendantQualifier.DESCENDANTS_OF_MATCH, found);
        collect(ancestor, DescendantQualifier.MATCH_AND_DESCENDANTS, found);
    }

    private void collect(Node<S> node, DescendantQualifier qualifier, Set<S> found) {
        Map<S, Integer> subscribers = node.paths.get(qualifier);
        if (subscribers != null) {
            found.addAll(subscribers.keySet());
        }
    }

    private void collectPatterns(Node<S> node, String path, Set<S> found) {
        for (Map.Entry<TopicSelector, Map<S, Integer>> entry : node.patterns.entrySet()) {
            Set<S> subscribers = entry.getValue().keySet();
            // evaluating the pattern is the expensive part: skip it when it could add no one
            if (!found.containsAll(subscribers) && entry.getKey().selectsValidPath(path)) {
                found.addAll(subscribers);
            }
        }
    }

    private void file(TopicSelector member, S subscriber) {
        Map<S, Integer> subscribers;
        if (member instanceof PathSelector selector) {
            subscribers = nodeFor(selector.path()).paths
                    .computeIfAbsent(selector.qualifier(), q -> new ConcurrentHashMap<>());
        } else {
            subscribers = nodeFor(member.rootPath()).patterns.computeIfAbsent(member, m -> new ConcurrentHashMap<>());
        }
        subscribers.merge(subscriber, 1, Integer::sum);
    }

    private void unfileAll(TopicSelector selector, S subscriber) {
        for (TopicSelector member : selector.members()) {
            unfile(member, subscriber);
        }
        size--;
    }

    private void unfile(TopicSelector member, S subscriber) {
        boolean isPath = member instanceof PathSelector;
        Node<S> node = existingNode(isPath ? ((PathSelector) member).path() : member.rootPath());
        Map<?, Map<S, Integer>> buckets = isPath ? node.paths : node.patterns;
        Object key = isPath ? ((PathSelector) member).qualifier() : member;
        Map<S, Integer> subscribers = buckets.get(key);
        if (subscribers.merge(subscriber, -1, (count, minusOne) -> count == 1 ? null : count + minusOne) == null
                && subscribers.isEmpty()) {
            buckets.remove(key);
        }
        prune(node);
    }

    /** Removes empty nodes from {@code node} up, so that churn of distinct paths does not leak memory. */
    private void prune(Node<S> node) {
        while (node.parent != null && node.isEmpty()) {
            node.parent.children.remove(node.segment, node);
            node = node.parent;
        }
    }

    private Node<S> nodeFor(String path) {
        Node<S> node = root;
        if (!path.isEmpty()) {
            for (String segment : path.split("/", -1)) {
                Node<S> parent = node;
                node = parent.children.computeIfAbsent(segment, s -> new Node<>(parent, s));
            }
        }
        return node;
    }

    /** The node of a path that a registered selector was filed at. */
    private Node<S> existingNode(String path) {
        Node<S> node = root;
        if (!path.isEmpty()) {
            for (String segment : path.split("/", -1)) {
                node = node.children.get(segment);
            }
        }
        return node;
    }
}
