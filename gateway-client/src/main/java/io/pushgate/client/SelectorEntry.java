package io.pushgate.client;

import java.util.LinkedHashSet;
import java.util.Set;

/** One selector of the client, as it keys and sends it, and the subscriptions that share it. Event thread. */
final class SelectorEntry {

    final String key;
    final Set<SubscriptionImpl> subs = new LinkedHashSet<>();

    SelectorEntry(String key) {
        this.key = key;
    }

    /** True if the gateway said that this selector matches the topic. */
    boolean matches(TopicStream s) {
        return s.selectors.contains(key);
    }
}
