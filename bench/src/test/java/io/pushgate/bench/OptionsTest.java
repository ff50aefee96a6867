package io.pushgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void parses_what_run_sh_passes() {
        Options o = Options.parse(new String[] {"--quick", "--scenario", "fanout,idle", "--port", "gateway=8080",
                "--pids", "gateway=12,13", "--info", "how they ran=pinned", "--systems", "gateway,nats"});
        assertThat(o.quick()).isTrue();
        assertThat(o.scenarios).containsExactly("fanout", "idle");
        assertThat(o.systems).containsExactly("gateway", "nats");
        assertThat(o.port("gateway")).isEqualTo(8080);
        assertThat(o.port("nats")).isEqualTo(-1);
        assertThat(o.pids("gateway")).isEqualTo(List.of(12L, 13L));
        assertThat(o.info()).containsEntry("how they ran", "pinned");
    }

    @Test
    void refuses_unknown_options_and_scenarios() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--fast"})).hasMessageContaining("unknown option --fast");
        assertThatThrownBy(() -> Options.parse(new String[] {"--scenario", "fanout,latency"})).hasMessageContaining("unknown scenario 'latency'");
    }
}
