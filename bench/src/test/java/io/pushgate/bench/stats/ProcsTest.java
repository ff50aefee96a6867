package io.pushgate.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcsTest {

    @Test
    void heap_used_is_the_sum_of_the_survivor_and_old_used_columns() {
        String jstat = """
                 S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC     YGCT    FGC    FGCT    CGC    CGCT     GCT
                4352.0 4352.0  0.0   512.5  34944.0   1024.0   87424.0    20480.0  48768.0 47530.2 6144.0 5712.3     12    0.061   2      0.090   -          -    0.151
                """;
        assertThat(Procs.parseJstatHeapUsed(jstat)).isEqualTo((long) ((512.5 + 20480.0) * 1024));
    }

    @Test
    void output_without_the_columns_is_refused() {
        assertThatThrownBy(() -> Procs.parseJstatHeapUsed("x y\n1 2\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void machine_busy_time_leaves_out_idle_and_iowait() {
        assertThat(Procs.parseBusyTicks("cpu  100 5 50 1000 20 3 2 1 0 0")).isEqualTo(100 + 5 + 50 + 3 + 2 + 1);
    }

    @Test
    void reads_this_process() {
        long self = ProcessHandle.current().pid();
        assertThat(Procs.rssBytes(self)).isPositive();
        assertThat(Procs.cpuNanos(self)).isPositive();
        assertThat(Procs.openFilesLimit(self)[0]).isPositive();
        assertThat(Procs.cpuNanos(Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(Procs.machineBusyNanos()).isGreaterThanOrEqualTo(Procs.selfCpuNanos());
    }
}
