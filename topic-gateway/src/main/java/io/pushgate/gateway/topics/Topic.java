package io.pushgate.gateway.topics;

/**
 * A topic as one gateway holds it: its path, spec, the gateway-wide topic id ({@code tid}) and
 * its current state. The state is replaced as a whole (seq and value together), so a reader
 * never sees the seq of one update with the value of another.
 *
 * <p>The {@code tid} is assigned by this gateway and is the same for every connection, so that
 * the frames of an update are byte-identical for all subscribers and can be encoded once. A
 * topic removed and added again gets a new tid.
 */
public final class Topic {

    /** The seq and value of a topic at one moment. {@code value} is null before the first set. */
    public record State(long seq, TopicValue value) {
        public static final State EMPTY = new State(0, null);
    }

    private final String path;
    private final TopicSpec spec;
    private final long tid;
    private volatile State state;

    public Topic(String path, TopicSpec spec, long tid, State state) {
        this.path = path;
        this.spec = spec;
        this.tid = tid;
        this.state = state;
    }

    public String path() {
        return path;
    }

    public TopicSpec spec() {
        return spec;
    }

    public long tid() {
        return tid;
    }

    public State state() {
        return state;
    }

    /** Replaces the state; only the gateway's single change applier calls this. */
    public void state(State newState) {
        this.state = newState;
    }

    @Override
    public String toString() {
        return path + "#" + tid + "@" + state.seq();
    }
}
