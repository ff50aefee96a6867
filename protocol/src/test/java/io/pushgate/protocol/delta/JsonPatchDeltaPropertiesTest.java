package io.pushgate.protocol.delta;

import static io.pushgate.protocol.delta.JsonArbitraries.NODES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the JSON Patch delta, each checked on {@value #TRIES} seeded random cases (see
 * {@link TextArbitraries#forEachSeed}: a failure names the seed that replays it).
 */
class JsonPatchDeltaPropertiesTest {

    private static final int TRIES = 2000;

    private static final String[] OPS = {"add", "remove", "replace", "move", "copy", "test", "bogus", "", "ADD"};

    private static final String[] POINTERS = {"", "/", "/a", "/b", "/0", "/1", "/-", "/0/-", "/a/0", "/a/b",
        "/price", "/x~1y", "/t~01", "/~", "/~2", "a", "/01", "/-1", "/99999999999", "//", "/ключ"};

    @Test
    void patchTurnsFromIntoTo() {
        int[] several = {0};
        TextArbitraries.forEachSeed("patchTurnsFromIntoTo", TRIES, random -> {
            JsonArbitraries.Pair pair = JsonArbitraries.pair(random);
            JsonNode from = pair.from().deepCopy();
            JsonNode to = pair.to().deepCopy();

            JsonNode patch = JsonPatchDelta.diff(from, to);

            assertThat(JsonPatchDelta.apply(patch, from)).as("%s", pair).isEqualTo(pair.to());
            assertThat(from).as("diff and apply leave the source alone").isEqualTo(pair.from());
            assertThat(to).isEqualTo(pair.to());

            if (patch.size() > 1) {
                several[0]++;
            }
        });
        if (TextArbitraries.replaying()) {
            return;
        }
        assertThat(100.0 * several[0] / TRIES).as("% of cases whose patch has several operations")
                .isGreaterThanOrEqualTo(20);
    }

    @Test
    void patchUsesOnlyAddRemoveReplace() {
        TextArbitraries.forEachSeed("patchUsesOnlyAddRemoveReplace", TRIES, random -> {
            JsonArbitraries.Pair pair = JsonArbitraries.pair(random);
            assertThat(JsonPatchDelta.diff(pair.from(), pair.to()))
                    .allSatisfy(op -> assertThat(op.get("op").asText()).isIn("add", "remove", "replace"));
        });
    }

    @Test
    void garbagePatchesOnlyEverThrowIllegalArgument() {
        TextArbitraries.forEachSeed("garbagePatchesOnlyEverThrowIllegalArgument", TRIES, random -> {
            JsonNode patch = garbagePatch(random);
            JsonNode source = JsonArbitraries.value(random);
            JsonNode before = source.deepCopy();
            try {
                JsonPatchDelta.apply(patch, source);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).startsWith("invalid JSON patch");
            }
            assertThat(source).isEqualTo(before);
        });
    }

    /**
     * Mostly (8 in 9) an array of up to 5 items, each an operation-like object with good and bad
     * ops, pointers and values, or a leaf; sometimes not an array but any value.
     */
    private static JsonNode garbagePatch(Random random) {
        if (TextArbitraries.weighted(random, 8, 1) == 1) {
            return JsonArbitraries.value(random);
        }
        ArrayNode array = NODES.arrayNode();
        for (int n = TextArbitraries.size(random, 0, 5); n > 0; n--) {
            array.add(random.nextBoolean() ? operation(random) : JsonArbitraries.leaf(random));
        }
        return array;
    }

    /** An op, a path, a from and a value (a leaf 3 in 4, any value 1 in 4), each now and then left out. */
    private static JsonNode operation(Random random) {
        String op = TextArbitraries.oneOf(random, OPS);
        String path = TextArbitraries.oneOf(random, POINTERS);
        String from = TextArbitraries.oneOf(random, POINTERS);
        JsonNode value = TextArbitraries.weighted(random, 3, 1) == 0 ? JsonArbitraries.leaf(random) : JsonArbitraries.value(random);
        int omit = TextArbitraries.between(random, 0, 15);
        ObjectNode node = NODES.objectNode();
        if ((omit & 1) == 0) {
            node.put("op", op);
        }
        if ((omit & 2) == 0) {
            node.put("path", path);
        }
        if ((omit & 4) == 0) {
            node.put("from", from);
        }
        if ((omit & 8) == 0) {
            node.set("value", value);
        }
        return node;
    }
}
