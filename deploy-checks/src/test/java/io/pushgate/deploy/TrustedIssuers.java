package io.pushgate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The services that verify bearer tokens themselves (the shared jwt-verifier), each against the
 * OIDC issuers of one property: the gateway, the data-feeder (start and stop of the feed) and the
 * redis-bridge (publishing through its passthrough). A user signs in once and uses one token with
 * all three, so they must trust the same issuers: one that only the gateway trusts gets tokens that
 * work at the gateway and are refused with 401 at the feeder or the bridge, and one that only they
 * trust lets tokens in that the gateway would refuse. The services' default,
 * {@code http://localhost:8081}, is wrong in any container, so each deployment sets all three.
 */
final class TrustedIssuers {

    /** A service that verifies tokens, the property that lists its issuers, and what the tokens are for there. */
    record Verifier(String module, String property, String usedFor) {

        /** The property's environment-variable form, as the deployments set it. */
        String variable() {
            return EnvNames.toEnv(property);
        }
    }

    static final Verifier GATEWAY = new Verifier("topic-gateway", "gateway.security.issuers", "its sessions and REST requests");
    static final List<Verifier> VERIFIERS = List.of(
            GATEWAY,
            new Verifier("data-feeder", "feeder.security.issuers", "POST /v1/feed/start and /stop"),
            new Verifier("redis-bridge", "bridge.security.issuers", "publishing through the passthrough"));

    private TrustedIssuers() {
    }

    /**
     * The issuers a service trusts with this environment: its variable when set and not empty
     * (SmallRye Config takes an empty value for a missing one), else what the service has when the
     * property is unset (its application.properties, else its {@code @WithDefault}).
     */
    static Set<String> trustedBy(Verifier verifier, Map<String, String> environment, ServiceModule module) {
        String value = environment.get(verifier.variable());
        if (value == null || value.isBlank()) {
            value = module == null ? "" : module.valueWhenUnset(verifier.property()).orElse("");
        }
        return parse(value);
    }

    /** A comma-separated list of issuers, as a set (order and spaces do not matter to the verifier). */
    static Set<String> parse(String value) {
        return Stream.of(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * What disagrees with the gateway: one line per other verifier whose issuers differ.
     *
     * @param trusted the issuers each deployed verifier trusts, by a description of where (keyed by verifier)
     */
    static List<String> disagreements(Map<Verifier, Map<String, Set<String>>> trusted) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> gateways = trusted.getOrDefault(GATEWAY, Map.of());
        if (gateways.isEmpty()) {
            return problems;
        }
        var gateway = gateways.entrySet().iterator().next();
        trusted.forEach((verifier, instances) -> instances.forEach((where, issuers) -> {
            if (!issuers.equals(gateway.getValue())) {
                problems.add(where + " trusts the issuers " + issuers + " (" + verifier.variable() + ", for " + verifier.usedFor()
                        + "), but " + gateway.getKey() + " trusts " + gateway.getValue() + " (" + GATEWAY.variable() + "): the same"
                        + " token would be accepted by one and refused by the other; set " + verifier.variable() + " to the gateway's issuers");
            }
        }));
        return problems;
    }
}
