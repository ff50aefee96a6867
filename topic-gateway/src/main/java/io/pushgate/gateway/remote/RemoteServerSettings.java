package io.pushgate.gateway.remote;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One remote server's settings, checked: where it is, how to log in, and the connection's timings.
 * {@link #of} turns configuration into this or fails with a message that names the property.
 *
 * @param login null: no credentials (the remote gateway's anonymous roles), else a fixed token or a
 *              principal's password grant
 */
public record RemoteServerSettings(String name, List<URI> urls, Login login, Duration connectTimeout,
                                   Duration reconnectMinDelay, Duration reconnectMaxDelay, Duration pingInterval,
                                   Duration requestTimeout) {

    /** How the adapter authenticates to the remote gateway. */
    public sealed interface Login {
        /** A bearer token, the same on every connection. */
        record Token(String token) implements Login {
            @Override
            public String toString() {
                return "a token"; // never the token itself in a log line
            }
        }

        /** A principal that gets its tokens from a token endpoint (OAuth 2.0 password grant). */
        record Password(URI tokenUrl, String principal, String password, Optional<String> clientId) implements Login {
            @Override
            public String toString() {
                return "principal " + principal + " (tokens from " + tokenUrl + ")";
            }
        }
    }

    public RemoteServerSettings {
        Objects.requireNonNull(name, "name");
        urls = List.copyOf(urls);
    }

    /** The settings of server {@code name} from its configuration, or an {@link IllegalArgumentException} that names the property. */
    public static RemoteServerSettings of(String name, RemoteServersConfig.RemoteServer config) {
        String prefix = "gateway.remote-servers.\"" + name + "\".";
        if (name.isBlank()) {
            throw new IllegalArgumentException("gateway.remote-servers: a remote server needs a name");
        }
        List<URI> urls = new ArrayList<>();
        for (String url : config.url()) {
            if (!url.isBlank()) {
                urls.add(endpoint(prefix + "url", url.trim(), "ws", "wss", "http", "https"));
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(prefix + "url: no URL");
        }
        Login login = login(prefix, config);
        Duration connect = positive(prefix + "connect-timeout", config.connectTimeout());
        Duration min = positive(prefix + "reconnect-min-delay", config.reconnectMinDelay());
        Duration max = positive(prefix + "reconnect-max-delay", config.reconnectMaxDelay());
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException(prefix + "reconnect-max-delay (" + max + ") is shorter than reconnect-min-delay (" + min + ")");
        }
        if (config.pingInterval().isNegative()) {
            throw new IllegalArgumentException(prefix + "ping-interval must not be negative: " + config.pingInterval());
        }
        Duration request = positive(prefix + "request-timeout", config.requestTimeout());
        return new RemoteServerSettings(name, urls, login, connect, min, max, config.pingInterval(), request);
    }

    private static Login login(String prefix, RemoteServersConfig.RemoteServer config) {
        Optional<String> token = config.token().filter(t -> !t.isBlank());
        Optional<String> principal = config.principal().filter(p -> !p.isBlank());
        if (token.isPresent() && principal.isPresent()) {
            throw new IllegalArgumentException(prefix + "token and " + prefix + "principal are both set: give one way to log in");
        }
        if (token.isPresent()) {
            return new Login.Token(token.get().trim());
        }
        if (principal.isEmpty()) {
            if (config.password().isPresent() || config.tokenUrl().isPresent()) {
                throw new IllegalArgumentException(prefix + "password and token-url need " + prefix + "principal");
            }
            return null;
        }
        String password = config.password().orElseThrow(() -> new IllegalArgumentException(prefix + "principal needs " + prefix + "password"));
        String tokenUrl = config.tokenUrl().filter(u -> !u.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(prefix + "principal needs " + prefix + "token-url (the token endpoint)"));
        return new Login.Password(endpoint(prefix + "token-url", tokenUrl.trim(), "http", "https"), principal.get().trim(), password,
                config.clientId().filter(c -> !c.isBlank()));
    }

    private static URI endpoint(String property, String text, String... schemes) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(property + " is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of(schemes).contains(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException(property + " must be an absolute " + String.join("/", schemes) + " URL with a host: " + text);
        }
        return uri;
    }

    private static Duration positive(String property, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(property + " must be positive: " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "remote server " + name + " " + urls + (login == null ? ", anonymous" : ", " + login);
    }
}
