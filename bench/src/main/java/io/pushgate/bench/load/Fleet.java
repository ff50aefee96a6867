package io.pushgate.bench.load;

import io.pushgate.bench.peers.Peer;
import io.pushgate.bench.peers.Subscriber;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The subscribers of one scenario on one system: opens them, notices the ones the server
 * dropped (and why), reopens them between steps, and closes them all at the end.
 */
public final class Fleet implements AutoCloseable {

    private final Peer peer;
    private final String namespace;
    private final Probe probe;
    private final int[][] topics;
    private final Subscriber[] subscribers;
    private final Map<String, Integer> dropReasons = new LinkedHashMap<>();
    private int drops;

    public Fleet(Peer peer, String namespace, Probe probe, int size, IntFunction<int[]> topicsOf) {
        this.peer = peer;
        this.namespace = namespace;
        this.probe = probe;
        this.topics = new int[size][];
        for (int i = 0; i < size; i++) {
            topics[i] = topicsOf.apply(i);
        }
        this.subscribers = new Subscriber[size];
    }

    /** Opens every subscriber that is not open; returns what that took, and throws if fewer than {@code minShare} are open. */
    public JsonObject open(int inFlight, long timeoutMillis, double minShare) throws InterruptedException {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < subscribers.length; i++) {
            if (subscribers[i] == null || !subscribers[i].isOpen()) {
                missing.add(i);
            }
        }
        Connector.Opened<Subscriber> opened = Connector.openAll(missing.size(), inFlight, timeoutMillis, Math.max(50, missing.size() / 10),
                j -> peer.subscribe(missing.get(j), namespace, topics[missing.get(j)], probe));
        for (int j = 0; j < missing.size(); j++) {
            Subscriber s = opened.connections().get(j);
            if (s != null) {
                subscribers[missing.get(j)] = s;
            }
        }
        int open = openCount();
        JsonObject result = new JsonObject()
                .put("opened", opened.count())
                .put("failed", opened.failures())
                .put("seconds", StepRunner.round(opened.seconds()));
        if (opened.firstError() != null) {
            result.put("firstError", opened.firstError());
        }
        if (open < minShare * subscribers.length) {
            throw new IllegalStateException(peer.name() + ": only " + open + " of " + subscribers.length
                    + " subscribers could subscribe (first error: " + opened.firstError() + ")");
        }
        return result;
    }

    /** Counts the subscribers the server dropped since the last call, by reason; returns how many. */
    public int collectDrops() {
        int n = 0;
        for (int i = 0; i < subscribers.length; i++) {
            Subscriber s = subscribers[i];
            if (s != null && !s.isOpen()) {
                n++;
                dropReasons.merge(String.valueOf(s.closeReason()), 1, Integer::sum);
                subscribers[i] = null;
            }
        }
        drops += n;
        return n;
    }

    public int openCount() {
        int n = 0;
        for (Subscriber s : subscribers) {
            if (s != null && s.isOpen()) {
                n++;
            }
        }
        return n;
    }

    /** How many open subscribers each topic has. */
    public int[] subscribersPerTopic(int topicCount) {
        int[] counts = new int[topicCount];
        for (int i = 0; i < subscribers.length; i++) {
            if (subscribers[i] != null && subscribers[i].isOpen()) {
                for (int t : topics[i]) {
                    counts[t]++;
                }
            }
        }
        return counts;
    }

    public int drops() {
        return drops;
    }

    public Map<String, Integer> dropReasons() {
        return dropReasons;
    }

    public int size() {
        return subscribers.length;
    }

    @Override
    public void close() throws InterruptedException {
        for (Subscriber s : subscribers) {
            if (s != null) {
                s.close();
            }
        }
        // let the servers see the closes before the next scenario starts
        TimeUnit.MILLISECONDS.sleep(Math.min(3000, 200 + subscribers.length / 5));
    }
}
