package io.pushgate.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The gateway's token introspection entries ({@code gateway.security.introspection.<name>.*}) in an
 * environment, and what makes the gateway refuse to start with one: an entry is all or nothing
 * (issuer, url, client-id and client-secret, none empty: SmallRye Config takes an empty value for a
 * missing one), and its issuer must be one of {@code GATEWAY_SECURITY_ISSUERS}. The secret must
 * come from a secret store, never from a file in the repository.
 */
final class IntrospectionEntries {

    static final String PREFIX = "GATEWAY_SECURITY_INTROSPECTION_";
    static final List<String> REQUIRED = List.of("ISSUER", "URL", "CLIENT_ID", "CLIENT_SECRET");
    private static final List<String> OPTIONAL = List.of("CACHE_TTL", "RECHECK_INTERVAL", "GRACE", "TIMEOUT");

    private IntrospectionEntries() {
    }

    /** Entry name to its settings (suffix to value), from the variables that name one. */
    static Map<String, Map<String, String>> of(Map<String, String> environment) {
        Map<String, Map<String, String>> entries = new TreeMap<>();
        environment.forEach((variable, value) -> {
            if (!variable.startsWith(PREFIX)) {
                return;
            }
            String rest = variable.substring(PREFIX.length());
            Stream.concat(REQUIRED.stream(), OPTIONAL.stream())
                    .filter(suffix -> rest.endsWith("_" + suffix) && rest.length() > suffix.length() + 1)
                    .findFirst()
                    .ifPresent(suffix -> entries.computeIfAbsent(rest.substring(0, rest.length() - suffix.length() - 1),
                            k -> new TreeMap<>()).put(suffix, value == null ? "" : value));
        });
        return entries;
    }

    /**
     * What is wrong with the entries of a gateway's environment.
     *
     * @param where names the gateway in messages
     * @param environment the variables and their values as the gateway gets them (empty when unset)
     * @param fromASecret whether a variable's value comes from a secret store rather than a committed file
     */
    static List<String> problems(String where, Map<String, String> environment, Predicate<String> fromASecret) {
        List<String> problems = new ArrayList<>();
        Set<String> issuers = Stream.of(environment.getOrDefault("GATEWAY_SECURITY_ISSUERS", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        of(environment).forEach((name, settings) -> {
            String entry = where + ": introspection entry " + name + " (gateway.security.introspection." + name.toLowerCase() + ".*)";
            for (String suffix : REQUIRED) {
                if (settings.getOrDefault(suffix, "").isBlank()) {
                    problems.add(entry + " has no " + PREFIX + name + "_" + suffix + " (or an empty one): the gateway would not start");
                }
            }
            String issuer = settings.getOrDefault("ISSUER", "").trim();
            if (!issuer.isEmpty() && !issuers.contains(issuer)) {
                problems.add(entry + ": its issuer " + issuer + " is not one of GATEWAY_SECURITY_ISSUERS " + issuers
                        + ": the gateway would not start");
            }
            String url = settings.getOrDefault("URL", "").trim();
            if (!url.isEmpty() && !isHttpUrl(url)) {
                problems.add(entry + ": its url " + url + " is not an absolute http(s) URL");
            }
            String secret = PREFIX + name + "_CLIENT_SECRET";
            if (environment.containsKey(secret) && !fromASecret.test(secret)) {
                problems.add(entry + ": " + secret + " is not taken from a secret (a Secret, or the environment / deploy/.env for compose)");
            }
        });
        return problems;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (Exception e) {
            return false;
        }
    }
}
