package io.pushgate.protocol.delta;

import io.pushgate.protocol.ProtocolException;
import java.util.Locale;

/** How a subscriber wants the changes of a value: the {@code delta} option of a subscription. */
public enum DeltaFormat {
    /** RFC 6902 JSON Patch, for JSON topics: see {@link JsonPatchDelta}. */
    JSON_PATCH("json-patch"),
    /** The Fossil SCM delta of the value's UTF-8 bytes, as Centrifugo sends: see {@link FossilDelta}. */
    FOSSIL("fossil"),
    /** No deltas: every update carries the whole value. */
    NONE("none");

    private final String wireName;

    DeltaFormat(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, e.g. {@code json-patch}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a wire name. A missing or empty one means the default, {@link #JSON_PATCH}; case and
     * surrounding blanks are ignored, as for the other names of the contract.
     *
     * @throws ProtocolException ({@code INVALID}) for an unknown name
     */
    public static DeltaFormat parse(String name) {
        if (name == null || name.isBlank()) {
            return JSON_PATCH;
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (DeltaFormat format : values()) {
            if (format.wireName.equals(wanted)) {
                return format;
            }
        }
        throw ProtocolException.invalid(
                "unknown delta format '" + name + "': expected json-patch, fossil or none");
    }
}
