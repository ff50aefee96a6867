package io.pushgate.client;

import java.util.concurrent.CompletionStage;

/**
 * Answers requests that reach this client: those sent to a message path it handles
 * ({@link PushgateClient#addRequestHandler}), or to its session on a path it has a request stream
 * for ({@link PushgateClient#addRequestStream}).
 *
 * <p>The handler returns the response (any value Jackson can write, or a {@code JsonNode}), or a
 * stage of it. A handler that throws, or whose stage fails, rejects the request: the sender gets
 * {@code REJECTED} with the exception's message. Called on the client's completion threads, never
 * its socket thread: it may block, though every request it holds counts against the gateway's
 * limit of unanswered requests per session.
 */
@FunctionalInterface
public interface RequestHandler {

    CompletionStage<?> onRequest(MessageRequest request);
}
