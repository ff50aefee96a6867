package io.pushgate.bench.stats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What Linux says about a process: CPU time and resident memory (from /proc), and JDK tools. */
public final class Procs {

    private static final long CLOCK_TICKS = clockTicks();

    private Procs() {
    }

    /** CPU time (user + system, all threads) of a process in nanoseconds, or -1 if it is gone. */
    public static long cpuNanos(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * 1_000_000_000L / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time (user + system) of a JVM's JIT compiler threads ({@code C1 CompilerThre...},
     * {@code C2 CompilerThre...}), in nanoseconds; 0 for a process without them (not a JVM) or gone.
     * A server pinned to one core shares it with its compiler, so the warm-ups go on until it is quiet.
     */
    public static long jitCompilerCpuNanos(long pid) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        ticks += cpuTicks(stat);
                    }
                } catch (IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return ticks * 1_000_000_000L / CLOCK_TICKS;
    }

    /** utime + stime of a {@code stat} line of a process or a thread, in clock ticks. */
    private static long cpuTicks(String stat) {
        // the command name (field 2) may hold spaces: fields are counted after its ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Resident set size in bytes (VmRSS), or -1. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time every process of the machine has used (all CPUs, busy states of /proc/stat), in nanoseconds; -1 if unreadable. */
    public static long machineBusyNanos() {
        return busyNanos("cpu ");
    }

    /** Busy time of one CPU (line {@code cpuN} of /proc/stat), in nanoseconds; -1 if unreadable. */
    public static long cpuBusyNanos(int cpu) {
        return busyNanos("cpu" + cpu + " ");
    }

    private static long busyNanos(String prefix) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith(prefix)) {
                    return parseBusyTicks(line) * 1_000_000_000L / CLOCK_TICKS;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The one CPU a process is pinned to, or -1 when it may run on several. */
    public static int pinnedCpu(long pid) {
        String allowed = cpusAllowed(pid);
        return allowed.matches("\\d+") ? Integer.parseInt(allowed) : -1;
    }

    /** Busy ticks of the {@code cpu} line of /proc/stat: everything but idle and iowait (guest time is in user already). */
    static long parseBusyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }

    /** This process's own CPU time, in nanoseconds. */
    public static long selfCpuNanos() {
        return cpuNanos(ProcessHandle.current().pid());
    }

    /** The soft and hard limits on open files of a process ({@code Max open files}), or {-1, -1}. */
    public static long[] openFilesLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return new long[] {parseLimit(f[0]), parseLimit(f[1])};
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
        return new long[] {-1, -1};
    }

    private static long parseLimit(String s) {
        return "unlimited".equals(s) ? Long.MAX_VALUE : Long.parseLong(s);
    }

    /** The CPUs a process may run on (its affinity), e.g. {@code 0} or {@code 0-1}, or "?". */
    public static String cpusAllowed(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    /** Runs a command and returns its standard output; throws with its output when it fails. */
    public static String run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            // the tools used here print little; read it all, then wait
            out = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text.trim());
        }
        return text;
    }

    /** A full GC in a JVM, through {@code jcmd <pid> GC.run}. */
    public static void gc(long pid) throws IOException, InterruptedException {
        run(60, "jcmd", Long.toString(pid), "GC.run");
    }

    /**
     * Heap in use in a JVM, in bytes, from {@code jstat -gc}: the sum of the used columns of the
     * survivor and old spaces (S0U, S1U, OU), which every collector reports alike. Right after
     * a full GC ({@link #gc}) that is the live heap; eden is left out because whatever runs
     * between the GC and this reading (the metrics scrape, a timer) allocates there.
     */
    public static long jstatHeapUsed(long pid) throws IOException, InterruptedException {
        return parseJstatHeapUsed(run(30, "jstat", "-gc", Long.toString(pid)));
    }

    static long parseJstatHeapUsed(String output) {
        String[] lines = output.trim().split("\\R");
        String[] header = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double kb = 0;
        List<String> wanted = List.of("S0U", "S1U", "OU");
        List<String> found = new ArrayList<>();
        for (int i = 0; i < header.length && i < values.length; i++) {
            if (wanted.contains(header[i])) {
                kb += Double.parseDouble(values[i]);
                found.add(header[i]);
            }
        }
        if (found.size() != wanted.size()) {
            throw new IllegalArgumentException("jstat -gc printed no " + wanted + ": " + output);
        }
        return (long) (kb * 1024);
    }

    private static long clockTicks() {
        try {
            return Long.parseLong(run(5, "getconf", "CLK_TCK").trim());
        } catch (Exception e) {
            return 100;
        }
    }
}
