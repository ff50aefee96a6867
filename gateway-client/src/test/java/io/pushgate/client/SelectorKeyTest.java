package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the client keys a selector: as it sends it in {@code subscribe}, and as the gateway names it back in {@code selectors}. */
class SelectorKeyTest {

    @ParameterizedTest
    @CsvSource({"a/b,>a/b", ">a/b,>a/b", "?a//,?a//", "*a/.*,*a/.*", "#>a////>b,#>a////>b"})
    void aBarePathIsKeyedAsAPathSelector(String selector, String key) {
        assertThat(SubscriptionImpl.keyOf(selector)).isEqualTo(key);
    }
}
