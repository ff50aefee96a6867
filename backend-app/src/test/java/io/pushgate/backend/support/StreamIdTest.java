package io.pushgate.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamIdTest {

    @Test
    void comparesAsRedisDoesNotAsText() {
        assertThat(StreamId.parse("10-0")).isGreaterThan(StreamId.parse("9-0"));
        assertThat(StreamId.parse("9-10")).isGreaterThan(StreamId.parse("9-9"));
        assertThat(StreamId.parse("1732306500000-0").isAfter(StreamId.parse("1732306499999-7"))).isTrue();
        assertThat(StreamId.parse("5-1")).isEqualByComparingTo(StreamId.parse("5-1"));
    }

    @Test
    void readsAnIdWithoutSequenceAndPrintsTheFullForm() {
        assertThat(StreamId.parse("42")).isEqualTo(new StreamId(42, 0));
        assertThat(StreamId.parse("1732306500000-3")).hasToString("1732306500000-3");
    }

    @Test
    void refusesWhatIsNotAnId() {
        assertThatThrownBy(() -> StreamId.parse("abc-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamId.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(StreamId.parseOrNull("x")).isNull();
        assertThat(StreamId.parseOrNull(null)).isNull();
    }
}
