package io.pushgate.web.security;

import io.pushgate.web.config.ClientConfig;
import io.pushgate.web.config.WebConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A Content-Security-Policy on every response, so that a script injected into a page (XSS) has a
 * hard time running: scripts only from this origin (no inline script, no eval), no plugins, no
 * {@code <base>}, no framing, and connections only to this origin and the services of
 * {@code /config.json}. It matters because the session's token is in the origin's storage
 * (see {@code js/session.js}). Styles may be inline (the chart library sizes its elements so).
 */
@ApplicationScoped
public class ContentSecurityPolicy {

    /** The header's value for this configuration. */
    public static String of(ClientConfig config) {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        for (ClientConfig.Endpoint endpoint : new ClientConfig.Endpoint[] {config.gateway(), config.auth(), config.bridge(), config.feeder()}) {
            connect.add(origin(endpoint.url()));
            if (endpoint.wsUrl() != null) {
                connect.add(origin(endpoint.wsUrl()));
            }
        }
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "connect-src " + String.join(" ", connect) + "; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    }

    /** {@code scheme://host[:port]} of a URL. */
    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    void register(@Observes Filters filters, WebConfig config) {
        String policy = of(ClientConfig.from(config));
        filters.register(rc -> {
            rc.response().putHeader("Content-Security-Policy", policy);
            rc.next();
        }, 10);
    }
}
