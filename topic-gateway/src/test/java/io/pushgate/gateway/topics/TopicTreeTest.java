package io.pushgate.gateway.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.protocol.TopicType;
import org.junit.jupiter.api.Test;

class TopicTreeTest {

    private final TopicTree tree = new TopicTree();

    @Test
    void selectorsScanTheirSubtreeOnly() {
        for (String p : new String[] {"a", "a/b", "a/b/c", "a-b", "a.b/c", "ab", "b/a"}) {
            tree.add(p, TopicSpec.of(TopicType.JSON), Topic.State.EMPTY);
        }
        assertThat(paths("?a//")).containsExactly("a", "a/b", "a/b/c");
        assertThat(paths(">a/")).containsExactly("a/b", "a/b/c");
        assertThat(paths("a")).containsExactly("a");
        assertThat(paths("*.*b")).containsExactlyInAnyOrder("a/b", "a-b", "ab");
    }

    @Test
    void aTopicAddedAgainGetsANewTid() {
        Topic first = tree.add("x", TopicSpec.of(TopicType.JSON), Topic.State.EMPTY);
        assertThat(tree.add("x", TopicSpec.of(TopicType.STRING), Topic.State.EMPTY)).isSameAs(first);
        tree.remove("x");
        Topic second = tree.add("x", TopicSpec.of(TopicType.JSON), Topic.State.EMPTY);
        assertThat(second.tid()).isNotEqualTo(first.tid());
    }

    private java.util.List<String> paths(String selector) {
        return tree.matching(TopicSelector.parse(selector)).stream().map(Topic::path).toList();
    }
}
