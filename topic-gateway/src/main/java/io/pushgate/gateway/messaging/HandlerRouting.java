package io.pushgate.gateway.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Which handler answers a request sent to a path (Diffusion's rule): a handler registered for the
 * path itself or for its nearest ancestor that has one (the most specific registration wins); among
 * the replicas that hold a handler for that registration, this replica if it is one of them (no
 * hop through Redis), else one chosen at random (so that requests spread over the replicas); on the
 * chosen replica, its handler sessions for that path take turns ({@link Messaging}).
 */
final class HandlerRouting {

    /** The registration that answers, and the replica that holds it. */
    record Choice(String handlerPath, String replica) {
    }

    private HandlerRouting() {
    }

    /** The path and each of its ancestors, the path first: {@code a/b/c}, {@code a/b}, {@code a}. */
    static List<String> pathAndAncestors(String path) {
        List<String> paths = new ArrayList<>();
        String p = path;
        while (true) {
            paths.add(p);
            int slash = p.lastIndexOf('/');
            if (slash < 0) {
                return paths;
            }
            p = p.substring(0, slash);
        }
    }

    /**
     * @param replicasByPath for registration paths, the replicas that hold a live handler there
     *        (paths missing or with an empty set have none)
     */
    static Optional<Choice> choose(String path, Map<String, Set<String>> replicasByPath, String self, RandomGenerator random) {
        for (String candidate : pathAndAncestors(path)) {
            Set<String> replicas = replicasByPath.get(candidate);
            if (replicas == null || replicas.isEmpty()) {
                continue;
            }
            if (replicas.contains(self)) {
                return Optional.of(new Choice(candidate, self));
            }
            List<String> sorted = new ArrayList<>(new TreeSet<>(replicas));
            return Optional.of(new Choice(candidate, sorted.get(random.nextInt(sorted.size()))));
        }
        return Optional.empty();
    }
}
