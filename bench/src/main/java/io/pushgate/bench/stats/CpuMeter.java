package io.pushgate.bench.stats;

import java.util.List;

/** CPU used by a set of processes (or the whole machine) between {@link #start} and {@link #cores}, in cores (1.0 = one core busy). */
public final class CpuMeter {

    private final List<Long> pids;
    private final int cpu;
    private long startWall;
    private long startCpu;

    public CpuMeter(List<Long> pids) {
        this(pids, -1);
    }

    private CpuMeter(List<Long> pids, int cpu) {
        this.pids = pids;
        this.cpu = cpu;
    }

    /** A meter of one CPU's busy time (from /proc/stat), whoever ran on it. */
    public static CpuMeter cpu(int cpu) {
        return new CpuMeter(null, cpu);
    }

    public CpuMeter start() {
        startWall = System.nanoTime();
        startCpu = total();
        return this;
    }

    /** A meter of every process on the machine (from /proc/stat). */
    public static CpuMeter machine() {
        return new CpuMeter(null, -1);
    }

    /** Average cores used since {@link #start}; -1 when a process could not be read. */
    public double cores() {
        long wall = System.nanoTime() - startWall;
        long cpu = total();
        if (cpu < 0 || startCpu < 0 || wall <= 0) {
            return -1;
        }
        return (double) (cpu - startCpu) / wall;
    }

    private long total() {
        if (pids == null) {
            return cpu < 0 ? Procs.machineBusyNanos() : Procs.cpuBusyNanos(cpu);
        }
        long sum = 0;
        for (long pid : pids) {
            long c = Procs.cpuNanos(pid);
            if (c < 0) {
                return -1;
            }
            sum += c;
        }
        return sum;
    }
}
