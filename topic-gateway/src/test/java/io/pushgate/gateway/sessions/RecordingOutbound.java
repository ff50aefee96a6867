package io.pushgate.gateway.sessions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** An in-memory client end for core tests: records frames, and can pretend its queue is full. */
final class RecordingOutbound implements Outbound {

    final List<Frame> frames = new ArrayList<>();
    boolean writable = true;
    int closedWith;

    @Override
    public void send(Frame frame) {
        frames.add(frame);
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void close(int code, String reason) {
        closedWith = code;
    }

    @Override
    public Executor executor() {
        return Runnable::run;
    }

    List<String> types() {
        return frames.stream().map(Frame::type).toList();
    }

    Frame last() {
        return frames.get(frames.size() - 1);
    }
}
