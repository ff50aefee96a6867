package io.pushgate.bench.profile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hot methods of a JFR recording: execution samples aggregated by their top frame (self
 * time), by their top three frames, and by every frame they pass through (total time, counted once per sample), native
 * samples (threads in system calls), allocation samples by allocating frame, GC pauses, and
 * samples per thread.
 */
public final class JfrProfile {

    /** One stack, top frame first, and its weight (1 per execution sample, bytes for allocations). */
    public record Stack(List<String> frames, long weight, String thread) {
    }

    private JfrProfile() {
    }

    public static JsonObject analyze(Path file, int top) throws IOException {
        List<Stack> cpu = new ArrayList<>();
        List<Stack> natives = new ArrayList<>();
        List<Stack> allocations = new ArrayList<>();
        long gcPauses = 0;
        double gcPauseMillis = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> cpu.add(stack(e, 1));
                case "jdk.NativeMethodSample" -> natives.add(stack(e, 1));
                case "jdk.ObjectAllocationSample" -> allocations.add(stack(e, e.getLong("weight")));
                case "jdk.GCPhasePause" -> {
                    gcPauses++;
                    gcPauseMillis += e.getDuration().toNanos() / 1e6;
                }
                default -> { }
            }
        }
        return summarize(cpu, natives, allocations, gcPauses, gcPauseMillis, top);
    }

    static JsonObject summarize(List<Stack> cpu, List<Stack> natives, List<Stack> allocations, long gcPauses,
                                double gcPauseMillis, int top) {
        long total = cpu.stream().mapToLong(Stack::weight).sum();
        long allocTotal = allocations.stream().mapToLong(Stack::weight).sum();
        return new JsonObject()
                .put("executionSamples", total)
                .put("selfTop", table(self(cpu), total, top))
                .put("selfTopStacks", table(stacks(cpu, 3), total, top))
                .put("totalTopPushgate", table(inclusive(cpu, f -> f.startsWith("io.pushgate.")), total, top))
                .put("totalTopAll", table(inclusive(cpu, f -> !isRunLoop(f)), total, top))
                .put("threads", table(byThread(cpu), total, top))
                .put("nativeSamples", natives.size())
                .put("nativeTop", table(self(natives), natives.size(), Math.min(top, 8)))
                .put("allocationBytesSampled", allocTotal)
                .put("allocationTop", table(stacks(allocations, 3), allocTotal, top))
                .put("gcPauses", gcPauses)
                .put("gcPauseMillis", Math.round(gcPauseMillis * 10) / 10.0);
    }

    /** Weight by top frame. */
    static Map<String, Long> self(List<Stack> stacks) {
        Map<String, Long> m = new HashMap<>();
        for (Stack s : stacks) {
            if (!s.frames().isEmpty()) {
                m.merge(s.frames().get(0), s.weight(), Long::sum);
            }
        }
        return m;
    }

    /** Weight by the top {@code depth} frames, written {@code top < caller < caller's caller}. */
    static Map<String, Long> stacks(List<Stack> stacks, int depth) {
        Map<String, Long> m = new HashMap<>();
        for (Stack s : stacks) {
            if (!s.frames().isEmpty()) {
                m.merge(String.join(" < ", s.frames().subList(0, Math.min(depth, s.frames().size()))), s.weight(), Long::sum);
            }
        }
        return m;
    }

    /** Weight of every frame a stack passes through, once per stack, among the frames {@code keep} accepts. */
    static Map<String, Long> inclusive(List<Stack> stacks, Predicate<String> keep) {
        Map<String, Long> m = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Stack s : stacks) {
            seen.clear();
            for (String f : s.frames()) {
                if (keep.test(f) && seen.add(f)) {
                    m.merge(f, s.weight(), Long::sum);
                }
            }
        }
        return m;
    }

    static Map<String, Long> byThread(List<Stack> stacks) {
        Map<String, Long> m = new HashMap<>();
        for (Stack s : stacks) {
            // event loop threads are numbered; keep the number, they are few
            m.merge(s.thread() == null ? "?" : s.thread(), s.weight(), Long::sum);
        }
        return m;
    }

    static JsonArray table(Map<String, Long> weights, long total, int top) {
        JsonArray rows = new JsonArray();
        weights.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(top)
                .forEach(e -> rows.add(new JsonObject()
                        .put("name", e.getKey())
                        .put("weight", e.getValue())
                        .put("percent", total == 0 ? 0 : Math.round(e.getValue() * 1000.0 / total) / 10.0)));
        return rows;
    }

    /** Frames every event-loop sample passes through, which would top a total-time table and say nothing. */
    static boolean isRunLoop(String frame) {
        return frame.startsWith("java.lang.Thread.")
                || frame.startsWith("io.netty.util.concurrent.FastThreadLocalRunnable")
                || frame.startsWith("io.netty.util.internal.ThreadExecutorMap")
                || frame.startsWith("io.netty.util.concurrent.SingleThreadEventExecutor")
                || frame.equals("io.netty.channel.nio.NioEventLoop.run")
                || frame.equals("io.netty.channel.epoll.EpollEventLoop.run");
    }

    private static Stack stack(RecordedEvent e, long weight) {
        RecordedStackTrace st = e.getStackTrace();
        List<String> frames = new ArrayList<>();
        if (st != null) {
            for (RecordedFrame f : st.getFrames()) {
                if (f.getMethod() != null) {
                    frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                }
            }
        }
        String thread = null;
        if (e.hasField("sampledThread") && e.getThread("sampledThread") != null) {
            thread = e.getThread("sampledThread").getJavaName();
        } else if (e.hasField("eventThread") && e.getThread("eventThread") != null) {
            thread = e.getThread("eventThread").getJavaName();
        }
        return new Stack(frames, weight, thread);
    }
}
