package io.pushgate.protocol.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Random JSON values, and pairs where the second is a small mutation of the first. Plain
 * functions of a {@link Random}; the primitives come from {@link TextArbitraries}.
 */
final class JsonArbitraries {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A JSON value before and after. */
    record Pair(JsonNode from, JsonNode to) {
    }

    /*
     * Keys from a small set, so that mutations hit existing members, including the two characters
     * JSON Pointer escapes ('/' and '~'), the empty key and non-ASCII keys.
     */
    private static final String[] KEYS = {
        "a", "b", "c", "price", "rate", "bid", "ask", "0", "1", "-", "x/y", "t~1", "~", "", "ключ", "💹",
    };

    private static final double[] DOUBLE_EDGES = {-1e6, 1e6, 0.0, 0.0001, -0.0001, 1.0, -1.0};

    private JsonArbitraries() {
    }

    /**
     * A leaf: null 1, boolean 1, int in [-1000, 1000] 2, any long 1, a double in [-1e6, 1e6] with
     * 4 decimals 2, a text of up to 12 code points 4.
     */
    static JsonNode leaf(Random random) {
        return switch (TextArbitraries.weighted(random, 1, 1, 2, 1, 2, 4)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(TextArbitraries.between(random, -1000, 1000));
            case 3 -> NODES.numberNode(TextArbitraries.anyLong(random));
            case 4 -> NODES.numberNode(scaledDouble(random));
            default -> NODES.textNode(TextArbitraries.text(random, 12));
        };
    }

    private static double scaledDouble(Random random) {
        if (TextArbitraries.edge(random)) {
            return DOUBLE_EDGES[random.nextInt(DOUBLE_EDGES.length)];
        }
        long unscaled = random.nextLong(-10_000_000_000L, 10_000_000_001L);
        return BigDecimal.valueOf(unscaled, 4).doubleValue();
    }

    /**
     * A value nested 0 to 3 levels deep (chosen evenly): a leaf, or arrays and objects of up to 5
     * items whose items are one level less deep.
     */
    static JsonNode value(Random random) {
        return value(random, random.nextInt(4));
    }

    private static JsonNode value(Random random, int depth) {
        if (depth == 0) {
            return leaf(random);
        }
        int size = TextArbitraries.size(random, 0, 5);
        if (random.nextBoolean()) {
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < size; i++) {
                array.add(value(random, depth - 1));
            }
            return array;
        }
        List<String> keys = new ArrayList<>(List.of(KEYS));
        Collections.shuffle(keys, random);
        ObjectNode object = NODES.objectNode();
        for (String key : keys.subList(0, size)) {
            object.set(key, value(random, depth - 1));
        }
        return object;
    }

    /** Mostly (3 in 4) a value and a mutation of it (1 to 6 changes); sometimes two unrelated values. */
    static Pair pair(Random random) {
        if (TextArbitraries.weighted(random, 1, 3) == 0) {
            JsonNode from = value(random);
            return new Pair(from, value(random));
        }
        JsonNode value = value(random);
        long seed = TextArbitraries.anyLong(random);
        int count = TextArbitraries.between(random, 1, 6);
        return new Pair(value, mutate(value, new Random(seed), count));
    }

    /** {@link #pair} as a generator. */
    static TextArbitraries.Gen<Pair> pairs() {
        return JsonArbitraries::pair;
    }

    /** A mutated deep copy: members set, added and removed, array items inserted and removed. */
    static JsonNode mutate(JsonNode value, Random random, int count) {
        JsonNode root = value.deepCopy();
        for (int n = 0; n < count; n++) {
            List<ContainerNode<?>> containers = new ArrayList<>();
            collectContainers(root, containers);
            if (containers.isEmpty()) {
                return randomLeaf(random);
            }
            ContainerNode<?> target = containers.get(random.nextInt(containers.size()));
            if (target instanceof ObjectNode object) {
                String key = KEYS[random.nextInt(KEYS.length)];
                if (object.has(key) && random.nextBoolean()) {
                    object.remove(key);
                } else {
                    object.set(key, random.nextInt(5) == 0 ? smallContainer(random) : randomLeaf(random));
                }
            } else {
                ArrayNode array = (ArrayNode) target;
                int at = random.nextInt(array.size() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> array.insert(at, randomLeaf(random));
                    case 1 -> {
                        if (at < array.size()) {
                            array.remove(at);
                        }
                    }
                    default -> {
                        if (at < array.size()) {
                            array.set(at, randomLeaf(random));
                        }
                    }
                }
            }
        }
        return root;
    }

    private static void collectContainers(JsonNode node, List<ContainerNode<?>> into) {
        if (node instanceof ContainerNode<?> container) {
            into.add(container);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collectContainers(it.next(), into);
            }
        }
    }

    static JsonNode randomLeaf(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(2001) - 1000);
            case 3 -> NODES.numberNode(BigDecimal.valueOf(random.nextInt(100_000_000), 4).doubleValue());
            default -> NODES.textNode(TextArbitraries.edit("price", random, 1 + random.nextInt(3)));
        };
    }

    private static JsonNode smallContainer(Random random) {
        if (random.nextBoolean()) {
            ArrayNode array = NODES.arrayNode();
            array.add(randomLeaf(random)).add(randomLeaf(random));
            return array;
        }
        ObjectNode object = NODES.objectNode();
        object.set(KEYS[random.nextInt(KEYS.length)], randomLeaf(random));
        return object;
    }
}
