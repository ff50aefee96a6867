package io.pushgate.gateway.remote;

import io.pushgate.gateway.views.RemoteSources;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The {@link RemoteSources} of remote views, over the project's Java client: per configured
 * server one {@link RemoteServerLink}, a single connection shared by every view that names it,
 * opened when the first of them starts. A feed from a server that is not configured is dormant
 * for good (the configuration is read at start), and says so once in the log.
 */
public final class RemoteGateways implements RemoteSources, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RemoteGateways.class);

    private final Map<String, RemoteServerLink> links;
    private final Set<String> unknownNamed = ConcurrentHashMap.newKeySet();

    private RemoteGateways(Map<String, RemoteServerLink> links) {
        this.links = links;
    }

    /** The remote servers of these settings (keyed by name); connects to none until a view follows it. */
    public static RemoteGateways of(Map<String, RemoteServerSettings> servers) {
        Map<String, RemoteServerLink> links = new LinkedHashMap<>();
        HttpClient http = null;
        for (RemoteServerSettings settings : servers.values()) {
            java.util.function.Supplier<String> tokens = null;
            if (settings.login() instanceof RemoteServerSettings.Login.Token token) {
                tokens = token::token;
            } else if (settings.login() instanceof RemoteServerSettings.Login.Password password) {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
                }
                tokens = new PasswordGrantTokens(password, http, settings.connectTimeout(), System::nanoTime);
            }
            links.put(settings.name(), new RemoteServerLink(settings, tokens));
            LOG.infof("%s: views may follow its topics (map ... from %s to ...)", settings, settings.name());
        }
        return new RemoteGateways(Map.copyOf(links));
    }

    @Override
    public Feed follow(String server, String selector, Listener listener) {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(listener, "listener");
        RemoteServerLink link = links.get(server);
        if (link == null) {
            if (unknownNamed.add(server)) {
                LOG.warnf("a view follows remote server '%s', which is not configured (gateway.remote-servers.\"%s\".url): it stays dormant",
                        server, server);
            }
            listener.disconnected();
            return () -> { };
        }
        return link.follow(selector, listener);
    }

    /** The names of the configured servers. */
    public Set<String> servers() {
        return links.keySet();
    }

    /** Whether this gateway holds an answering connection to the named server now. */
    public CompletableFuture<Boolean> isConnected(String server) {
        RemoteServerLink link = links.get(server);
        return link == null ? CompletableFuture.completedFuture(false) : link.isConnected();
    }

    /** Closes every connection; feeds get nothing more. */
    @Override
    public void close() {
        links.values().forEach(RemoteServerLink::close);
    }
}
