package io.pushgate.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String TEXT = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="Eden Space"} 1000.0
            jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 2500.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9999.0
            pushgate_connections 42.0
            pushgate_conflations_total 7.0
            """;

    @Test
    void sums_the_series_with_the_labels() {
        PrometheusText m = PrometheusText.parse(TEXT);
        assertThat(m.sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(3500.0);
        assertThat(m.sum("pushgate_connections")).isEqualTo(42.0);
        assertThat(m.sum("nothing")).isNaN();
        assertThat(m.sum("jvm_memory_used_bytes", new String[] {"area=\"heap\""}, "Old Gen", "Tenured Gen")).isEqualTo(2500.0);
        assertThat(m.byName("pushgate_")).containsEntry("pushgate_connections", 42.0).containsEntry("pushgate_conflations_total", 7.0);
    }
}
