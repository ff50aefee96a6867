package io.pushgate.deploy;

import static io.pushgate.deploy.ManifestChecks.list;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the Ingresses send a request, by the Ingress API's rules (which ingress-nginx follows): of
 * the paths of the request's host (or of rules without a host), an {@code Exact} path equal to the
 * request's wins, else the longest {@code Prefix} that matches it element by element ({@code /v1}
 * matches {@code /v1} and {@code /v1/ws}, not {@code /v1x}); an {@code ImplementationSpecific} path
 * is taken as a prefix; with no match, a default backend.
 */
final class IngressRoutes {

    /** One routed path: the Ingress that has it, its host (null: any), and the Service it goes to. */
    record Route(Ingress ingress, String host, String path, String pathType, String service) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final List<Route> defaults = new ArrayList<>();
    private final Set<String> tlsHosts = new LinkedHashSet<>();

    IngressRoutes(List<Ingress> ingresses) {
        for (Ingress ingress : ingresses) {
            if (ingress.getSpec().getDefaultBackend() != null && ingress.getSpec().getDefaultBackend().getService() != null) {
                defaults.add(new Route(ingress, null, "/", "Default", ingress.getSpec().getDefaultBackend().getService().getName()));
            }
            for (IngressTLS tls : list(ingress.getSpec().getTls())) {
                tlsHosts.addAll(list(tls.getHosts()));
            }
            for (IngressRule rule : list(ingress.getSpec().getRules())) {
                if (rule.getHttp() == null) {
                    continue;
                }
                for (HTTPIngressPath path : list(rule.getHttp().getPaths())) {
                    if (path.getBackend() != null && path.getBackend().getService() != null) {
                        routes.add(new Route(ingress, rule.getHost(), path.getPath() == null ? "/" : path.getPath(),
                                path.getPathType(), path.getBackend().getService().getName()));
                    }
                }
            }
        }
    }

    List<Route> routes() {
        return routes;
    }

    /** The hosts that rules name. */
    Set<String> hosts() {
        Set<String> out = new LinkedHashSet<>();
        routes.forEach(r -> out.add(r.host()));
        return out;
    }

    /** The origin a browser uses for a host: https when a TLS entry names it. */
    String origin(String host) {
        return (tlsHosts.contains(host) ? "https://" : "http://") + host;
    }

    /** The route a request to this host and path takes, if any. */
    Optional<Route> resolve(String host, String path) {
        Route best = null;
        for (Route route : routes) {
            if (route.host() != null && !route.host().equalsIgnoreCase(host)) {
                continue;
            }
            if ("Exact".equals(route.pathType())) {
                if (route.path().equals(path)) {
                    return Optional.of(route);
                }
            } else if (prefixMatches(route.path(), path) && (best == null || route.path().length() > best.path().length())) {
                best = route;
            }
        }
        if (best == null && !defaults.isEmpty()) {
            best = defaults.get(0);
        }
        return Optional.ofNullable(best);
    }

    private static boolean prefixMatches(String prefix, String path) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return p.isEmpty() || path.equals(p) || path.startsWith(p + "/");
    }
}
