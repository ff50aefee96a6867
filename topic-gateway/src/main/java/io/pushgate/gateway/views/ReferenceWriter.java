package io.pushgate.gateway.views;

import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicValue;
import java.util.concurrent.CompletionStage;

/** How the view engine writes its reference topics (bypassing the read-only rule clients get). */
public interface ReferenceWriter {

    /** Adds the topic if needed and sets its value. */
    CompletionStage<Long> set(String path, TopicSpec spec, TopicValue value);

    /** Adds the time series if needed and appends an event. */
    CompletionStage<Long> append(String path, TopicSpec spec, TopicValue value, String author);

    CompletionStage<Boolean> remove(String path);
}
