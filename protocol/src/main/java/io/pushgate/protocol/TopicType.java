package io.pushgate.protocol;

/** The topic types of the contract. */
public enum TopicType {
    JSON,
    STRING,
    INT64,
    DOUBLE,
    BINARY,
    TIME_SERIES;

    public static TopicType parse(String name) {
        if (name == null) {
            throw ProtocolException.invalid("missing topic type");
        }
        try {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProtocolException.invalid("unknown topic type '" + name
                    + "': expected one of JSON, STRING, INT64, DOUBLE, BINARY, TIME_SERIES");
        }
    }
}
