package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.message.Op;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Requests on the client's current connection, whichever it is: what {@link TopicStreams} and the
 * client's operations send ({@link Requests} keeps them until their replies). A request made while
 * there is no connection fails at once ({@link PushgateException.ConnectionLost}, an
 * {@code UNAVAILABLE}); a result the user waits for completes on the completions pool. Also the
 * keep-alive ping, since a connection whose pong is late is one to drop.
 */
final class Calls implements TopicStreams.Gateway {

    private static final System.Logger LOG = System.getLogger(PushgateClient.class.getName());

    private final Connector connector;
    private final Requests requests;
    private final ClientThreads threads;
    private final Duration timeout;

    Calls(Connector connector, Requests requests, ClientThreads threads, Duration timeout) {
        this.connector = connector;
        this.requests = requests;
        this.threads = threads;
        this.timeout = timeout;
    }

    /** The client's request timeout. */
    Duration timeout() {
        return timeout;
    }

    @Override
    public boolean isConnected() {
        return connector.connection() != null;
    }

    /** Sends a request on the open connection; see {@link TopicStreams.Gateway#request}. */
    @Override
    public CompletableFuture<JsonNode> request(ObjectNode request) {
        Connection c = connector.connection();
        if (c == null) {
            return CompletableFuture.failedFuture(new PushgateException.ConnectionLost(
                    connector.isClosing() ? "the client is closed" : "not connected: reconnecting to "
                            + (connector.endpoints().size() == 1 ? connector.endpoints().get(0) : connector.endpoints())));
        }
        return requests.send(c, request);
    }

    /**
     * As {@link #request}, waiting up to {@code timeout} for the reply and telling
     * {@code beforeSending} the request's id (messages about it may arrive before its reply).
     */
    CompletableFuture<JsonNode> request(ObjectNode request, Duration timeout, LongConsumer beforeSending) {
        Connection c = connector.connection();
        if (c == null) {
            return CompletableFuture.failedFuture(new PushgateException.ConnectionLost(
                    connector.isClosing() ? "the client is closed" : "not connected"));
        }
        return requests.send(c, request, timeout, beforeSending);
    }

    /** A request whose reply becomes the user's result, completed off the client's own threads. */
    <T> CompletableFuture<T> call(ObjectNode request, Function<JsonNode, T> result) {
        return completeOff(request(request), result);
    }

    /** The user's future of a reply: {@code result} of it, completed on the completions pool. */
    <T> CompletableFuture<T> completeOff(CompletableFuture<JsonNode> reply, Function<JsonNode, T> result) {
        CompletableFuture<T> future = new CompletableFuture<>();
        reply.whenComplete((message, error) -> threads.complete(() -> {
            if (error != null) {
                future.completeExceptionally(Causes.unwrap(error));
                return;
            }
            try {
                future.complete(result.apply(message));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }));
        return future;
    }

    /** Pings every {@code interval}: the gateway may close idle connections, and a dead one shows here. */
    void keepAliveEvery(Duration interval) {
        long every = interval.toMillis();
        threads.timer.scheduleWithFixedDelay(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
    }

    private void keepAlive() {
        Connection c = connector.connection();
        if (c == null) {
            return;
        }
        request(Requests.op(Op.PING)).whenComplete((pong, error) -> {
            if (error != null && !(Causes.unwrap(error) instanceof PushgateException.ConnectionLost) && c == connector.connection()) {
                LOG.log(Level.WARNING, "no pong from {0} within {1}: dropping the connection", c.uri(), timeout);
                c.abort("no pong within " + timeout);
            }
        });
    }
}
