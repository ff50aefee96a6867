package io.pushgate.gateway.transport;

import io.pushgate.gateway.security.Authenticator;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What every request for a session (a WebSocket upgrade, an SSE stream) passes before it gets
 * one, in this order: the gateway is not shutting down (else 503 UNAVAILABLE, to go elsewhere),
 * the transport's own parameters parse, the page's origin is allowed (403), the token is where a
 * token may be (401), the client's address is under its connection limit (429), and the token, if
 * any, is accepted (401, or 503 while an issuer's introspection cannot be reached). A refusal is
 * answered with the contract's {@code {code, message}} body and no session.
 */
public final class UpgradeGate {

    private final Draining draining;
    private final OriginCheck origins;
    private final ConnectionLimiter connections;
    private final Authenticator authenticator;

    public UpgradeGate(Draining draining, OriginCheck origins, ConnectionLimiter connections, Authenticator authenticator) {
        this.draining = draining;
        this.origins = origins;
        this.connections = connections;
        this.authenticator = authenticator;
    }

    /** A request for a session, as the gate sees it. */
    public interface Request {
        String header(String name);

        String param(String name);

        /** The client's address (what the connection limit counts). */
        String address();

        /** Answers with the error; the request gets no session. */
        void refuse(ProtocolException error);

        /** Stops reading the request while its token is checked. */
        void pause();

        void resume();

        /** Where the rest of the request is handled once the token is checked (its event loop). */
        Executor context();
    }

    /** A transport's own parameters, parsed once the gateway takes sessions and before the origin is checked. */
    @FunctionalInterface
    public interface Parameters<T> {
        T parse();
    }

    /**
     * A request that passed the checks before the token's: it holds a place under its address's
     * connection limit until {@link #release()} (once, however often called).
     */
    public final class Admission<T> {
        private final T parameters;
        private final String address;
        private final Optional<String> token;
        private final AtomicBoolean released = new AtomicBoolean();

        private Admission(T parameters, String address, Optional<String> token) {
            this.parameters = parameters;
            this.address = address;
            this.token = token;
        }

        public T parameters() {
            return parameters;
        }

        public String address() {
            return address;
        }

        /** Frees the connection's place (when it closes, or is refused after all). */
        public void release() {
            if (released.compareAndSet(false, true)) {
                connections.release(address);
            }
        }
    }

    /** The Vert.x request behind a route, captured on its event loop. */
    public static Request of(RoutingContext rc) {
        Context context = Vertx.currentContext();
        return new Request() {
            @Override
            public String header(String name) {
                return rc.request().getHeader(name);
            }

            @Override
            public String param(String name) {
                return rc.request().getParam(name);
            }

            @Override
            public String address() {
                return rc.request().remoteAddress().host();
            }

            @Override
            public void refuse(ProtocolException error) {
                HttpErrors.send(rc.response(), error);
            }

            @Override
            public void pause() {
                rc.request().pause();
            }

            @Override
            public void resume() {
                rc.request().resume();
            }

            @Override
            public Executor context() {
                return task -> context.runOnContext(v -> task.run());
            }
        };
    }

    /** The checks up to the connection limit; null when the request was refused (and answered). */
    public <T> Admission<T> admit(Request request, Parameters<T> parameters) {
        if (draining.isDraining()) {
            request.refuse(new ProtocolException(ErrorCode.UNAVAILABLE, "this gateway is shutting down: connect to another"));
            return null;
        }
        T parsed;
        Optional<String> token;
        try {
            parsed = parameters.parse();
            origins.check(request.header("Origin"));
            token = io.pushgate.jwt.BearerToken.of(request.header("Authorization"), request.param("access_token"));
        } catch (ProtocolException e) {
            request.refuse(e);
            return null;
        }
        String address = request.address();
        if (!connections.tryAcquire(address)) {
            request.refuse(new ProtocolException(ErrorCode.RATE_LIMITED, "at most " + connections.limit() + " connections from one address"));
            return null;
        }
        return new Admission<>(parsed, address, token);
    }

    /**
     * Checks the admitted request's token, if any (a bad one gets 401 and no session, its place
     * released), then hands its credentials (null without a token) to {@code admitted} on the
     * request's context.
     */
    public <T> void authenticate(Request request, Admission<T> admission, Consumer<Credentials> admitted) {
        if (admission.token.isEmpty()) {
            admitted.accept(null);
            return;
        }
        request.pause();
        Executor context = request.context();
        authenticator.authenticate(admission.token.get()).whenComplete((credentials, error) -> context.execute(() -> {
            request.resume();
            if (error != null) {
                admission.release();
                Throwable cause = Causes.unwrap(error);
                request.refuse(cause instanceof ProtocolException pe ? pe
                        : new ProtocolException(ErrorCode.UNAUTHENTICATED, "the token was not accepted"));
            } else {
                admitted.accept(credentials);
            }
        }));
    }
}
