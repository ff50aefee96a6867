package io.pushgate.bridge.gateway;

/** One value to set on a gateway topic: the body is the Redis payload, byte for byte. */
public record GatewayUpdate(String topic, TopicType type, byte[] body) {

    /** The gateway topic type a payload is set as, and how it travels in the PUT. */
    public enum TopicType {
        /** A payload that parses as JSON: {@code ?type=JSON}, {@code application/json}. */
        JSON("application/json"),
        /** Any other UTF-8 text: {@code ?type=STRING}, {@code text/plain}. */
        STRING("text/plain; charset=utf-8"),
        /** Bytes that are not UTF-8: {@code ?type=BINARY}, {@code application/octet-stream}. */
        BINARY("application/octet-stream");

        private final String contentType;

        TopicType(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }
    }
}
