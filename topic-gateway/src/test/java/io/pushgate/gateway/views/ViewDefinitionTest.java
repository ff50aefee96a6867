package io.pushgate.gateway.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of a view: its text and its creator, whose rights it acts with. */
class ViewDefinitionTest {

    @Test
    void aDefinitionWithItsCreatorReadsBackAsItWasStored() {
        ViewDefinition definition = new ViewDefinition("map ?prices/ to views/<path(1)>", new ViewDefinition.Creator("alice", List.of("TRADER", "CLIENT")));
        assertThat(ViewDefinition.decode(definition.encode())).isEqualTo(definition);
    }

    @Test
    void aBareTextStoredBeforeCreatorsWereRecordedHasNoCreator() {
        assertThat(ViewDefinition.decode("map ?prices/ to views/<path(1)>"))
                .isEqualTo(new ViewDefinition("map ?prices/ to views/<path(1)>", null));
        ViewDefinition unrestricted = new ViewDefinition("map >a to b", null);
        assertThat(ViewDefinition.decode(unrestricted.encode())).isEqualTo(unrestricted);
    }
}
