package io.pushgate.gateway.remote;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The remote servers that remote views ({@code map SELECTOR from SERVER to ...}) may name:
 * {@code gateway.remote-servers."<name>".url=ws://core:8080/v1/ws} and so on. Read once at start.
 */
@ConfigMapping(prefix = "gateway.remote-servers")
public interface RemoteServersConfig {

    /** The servers by the name a view's {@code from} clause gives (quoted in the property name if it has spaces or dots). */
    @WithParentName
    Map<String, RemoteServer> servers();

    /** One remote Pushgate gateway. */
    interface RemoteServer {
        /**
         * Its WebSocket endpoint ({@code ws://core:8080/v1/ws}; {@code ws://core:8080} and
         * {@code http(s)://} work too), or several comma-separated: the replicas of that gateway,
         * tried in turn.
         */
        List<String> url();

        /** A bearer token (a JWT the remote gateway trusts) sent on every connection; not with {@code principal}. */
        Optional<String> token();

        /**
         * A principal to log in as: the adapter asks {@code token-url} for a token with the OAuth 2.0
         * password grant, again before the token expires and on every reconnection after that.
         */
        Optional<String> principal();

        /** The principal's password; set it through the environment, not a file in the image. */
        Optional<String> password();

        /**
         * The token endpoint for {@code principal}: the remote side's auth-service
         * ({@code http://core-auth:8081/v1/token}) or Keycloak's
         * ({@code <realm>/protocol/openid-connect/token}, with {@code client-id}).
         */
        Optional<String> tokenUrl();

        /** A {@code client_id} to send with the password grant (Keycloak needs one). */
        Optional<String> clientId();

        /** How long opening a connection (and asking for a token) may take. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** The first wait before connecting again after a failed attempt or a lost connection; it doubles up to {@code reconnect-max-delay}. */
        @WithDefault("500ms")
        Duration reconnectMinDelay();

        /** The longest wait between two attempts to reach the server. */
        @WithDefault("10s")
        Duration reconnectMaxDelay();

        /**
         * How often the connection is pinged; a ping not answered within {@code request-timeout}
         * drops the connection (the views from that server go dormant), so a server that stops
         * answering without closing is noticed within about the sum of the two. {@code 0s}: no pings.
         */
        @WithDefault("10s")
        Duration pingInterval();

        /** How long a request (subscribe, ping) waits for the server's answer. */
        @WithDefault("5s")
        Duration requestTimeout();
    }
}
