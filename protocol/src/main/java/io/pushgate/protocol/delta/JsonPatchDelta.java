package io.pushgate.protocol.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import java.util.EnumSet;
import java.util.Objects;

/**
 * RFC 6902 JSON Patch deltas between two JSON values: made by zjsonpatch, applied by
 * {@link JsonPatchApplier} (zjsonpatch's own apply mangles some member names, see there).
 */
public final class JsonPatchDelta {

    /*
     * Only add, remove and replace operations:
     * - OMIT_MOVE_OPERATION and OMIT_COPY_OPERATION: zjsonpatch's guessing of move/copy from equal
     *   values has open bugs that yield patches which cannot be applied (zjsonpatch issues #104,
     *   #116, #125), it relates fields that merely happen to hold equal values, and for the small
     *   values of a typical update a "from" pointer is seldom shorter than the value itself.
     * - OMIT_VALUE_ON_REMOVE: no "value" member on remove; RFC 6902 appliers ignore it anyway, so it
     *   would only cost bytes.
     * - not ADD_ORIGINAL_VALUE_ON_REPLACE ("fromValue") nor EMIT_TEST_OPERATIONS: bytes for nothing.
     * The result is plain RFC 6902 that any applier (e.g. npm fast-json-patch) accepts.
     */
    private static final EnumSet<DiffFlags> DIFF_FLAGS = EnumSet.of(
            DiffFlags.OMIT_VALUE_ON_REMOVE,
            DiffFlags.OMIT_MOVE_OPERATION,
            DiffFlags.OMIT_COPY_OPERATION);

    private JsonPatchDelta() {
    }

    /** The patch (an {@code ArrayNode} of operations) that turns {@code from} into {@code to}. */
    public static JsonNode diff(JsonNode from, JsonNode to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return JsonDiff.asJson(from, to, DIFF_FLAGS);
    }

    /**
     * Applies a patch to a copy of {@code source}; {@code source} is left as it was.
     *
     * <p>Strict RFC 6902: all six operations; a location to remove, replace, move, copy or test
     * must exist; array indices are "-" (add only) or digits without a leading zero; members of an
     * operation other than those of its op are ignored.
     *
     * @throws IllegalArgumentException if the patch is not a valid RFC 6902 patch or does not apply
     *     to {@code source}
     */
    public static JsonNode apply(JsonNode patch, JsonNode source) {
        Objects.requireNonNull(source, "source");
        return JsonPatchApplier.apply(patch, source);
    }
}
