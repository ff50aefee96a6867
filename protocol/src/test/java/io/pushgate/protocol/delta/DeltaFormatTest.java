package io.pushgate.protocol.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DeltaFormatTest {

    @Test
    void wireNames() {
        assertThat(DeltaFormat.JSON_PATCH.wireName()).isEqualTo("json-patch");
        assertThat(DeltaFormat.FOSSIL.wireName()).isEqualTo("fossil");
        assertThat(DeltaFormat.NONE.wireName()).isEqualTo("none");
    }

    @ParameterizedTest
    @EnumSource(DeltaFormat.class)
    void parsesItsOwnWireName(DeltaFormat format) {
        assertThat(DeltaFormat.parse(format.wireName())).isSameAs(format);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void missingMeansJsonPatch(String name) {
        assertThat(DeltaFormat.parse(name)).isSameAs(DeltaFormat.JSON_PATCH);
    }

    @Test
    void ignoresCaseAndBlanksAroundTheName() {
        assertThat(DeltaFormat.parse(" Fossil ")).isSameAs(DeltaFormat.FOSSIL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "json_patch", "JSON_PATCH", "jsonpatch", "fossil-delta"})
    void refusesAnUnknownName(String name) {
        assertThatThrownBy(() -> DeltaFormat.parse(name))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID))
                .hasMessage("unknown delta format '" + name + "': expected json-patch, fossil or none");
    }
}
