package io.pushgate.reliability.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a process holds, read from {@code /proc/<pid>} (resident memory, threads, open file
 * descriptors) and, for a JVM, {@code jcmd <pid> GC.heap_info} (heap in use and committed).
 */
public record ProcessStats(long rssKb, int threads, int fds, long heapUsedKb, long heapCommittedKb) {

    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

    public static ProcessStats of(long pid) {
        Map<String, String> status = status(pid);
        long rss = parseKb(status.getOrDefault("VmRSS", "-1 kB"));
        int threads = Integer.parseInt(status.getOrDefault("Threads", "-1").trim());
        int fds;
        try (Stream<Path> list = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            fds = (int) list.count();
        } catch (IOException e) {
            fds = -1;
        }
        long[] heap = heap(pid);
        return new ProcessStats(rss, threads, fds, heap[1], heap[0]);
    }

    /**
     * The same after a full collection ({@code jcmd <pid> GC.run}), so that the heap figure is what
     * is live rather than what garbage happens to be there: the figure to compare between the start
     * and the end of a soak.
     */
    public static ProcessStats afterGc(long pid) {
        jcmd(pid, "GC.run");
        return of(pid);
    }

    /** A process that is not a JVM (redis-server): memory, threads and descriptors only. */
    public static ProcessStats ofNative(long pid) {
        Map<String, String> status = status(pid);
        int fds;
        try (Stream<Path> list = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            fds = (int) list.count();
        } catch (IOException e) {
            fds = -1;
        }
        return new ProcessStats(parseKb(status.getOrDefault("VmRSS", "-1 kB")), Integer.parseInt(status.getOrDefault("Threads", "-1").trim()),
                fds, -1, -1);
    }

    /** The pid of the process whose command line holds all these words (e.g. redis-server and its port), or -1. */
    public static long find(String... words) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (Arrays.stream(words).allMatch(cmdline::contains)) {
                        return Long.parseLong(name);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Resident memory only (cheap: no jcmd). */
    public static long rssKb(long pid) {
        return parseKb(status(pid).getOrDefault("VmRSS", "-1 kB"));
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rssMb", rssKb / 1024);
        m.put("heapUsedMb", heapUsedKb < 0 ? -1 : heapUsedKb / 1024);
        m.put("heapCommittedMb", heapCommittedKb < 0 ? -1 : heapCommittedKb / 1024);
        m.put("threads", threads);
        m.put("fds", fds);
        return m;
    }

    private static Map<String, String> status(long pid) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    m.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return m;
    }

    private static long parseKb(String value) {
        return Long.parseLong(value.split("\\s+")[0]);
    }

    /** {committed, used} heap in KiB from jcmd; {-1, -1} when it cannot be read. */
    private static long[] heap(long pid) {
        Matcher m = HEAP.matcher(jcmd(pid, "GC.heap_info"));
        if (m.find()) {
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }
        return new long[] {-1, -1};
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
