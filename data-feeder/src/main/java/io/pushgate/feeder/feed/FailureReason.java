package io.pushgate.feeder.feed;

/** Why a poll failed; the {@code reason} tag of {@code feeder_failures_total}. */
public enum FailureReason {
    /** The API failed on every attempt (status, timeout, bad payload). */
    FETCH("fetch"),
    /** The circuit was open, so the API was not called at all. */
    CIRCUIT_OPEN("circuit-open"),
    /** The document was fetched but Redis did not take it; it is tried again on the next poll. */
    PUBLISH("publish");

    private final String tag;

    FailureReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
