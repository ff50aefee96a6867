package io.pushgate.gateway.views;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code with properties} option: which of Diffusion's topic properties a view may set on its
 * reference topics, as Pushgate has them. Settable, as in Diffusion: {@code CONFLATION},
 * {@code DONT_RETAIN_VALUE}, {@code PUBLISH_VALUES_ONLY}, {@code TIME_SERIES_RETAINED_RANGE},
 * {@code TIME_SERIES_SUBSCRIPTION_RANGE}. Diffusion's {@code COMPRESSION}, {@code PRIORITY} and
 * {@code TIDY_ON_UNSUBSCRIBE} are settable there but Pushgate has no such property: refused, by
 * name, rather than ignored. Not settable in Diffusion, refused here too: {@code OWNER},
 * {@code PERSISTENT}, {@code REMOVAL}, {@code SCHEMA}, {@code TIME_SERIES_EVENT_VALUE_TYPE},
 * {@code VALIDATE_VALUES}.
 */
final class PropertyMapping {

    static final Set<String> SETTABLE = Set.of("CONFLATION", "DONT_RETAIN_VALUE", "PUBLISH_VALUES_ONLY",
            "TIME_SERIES_RETAINED_RANGE", "TIME_SERIES_SUBSCRIPTION_RANGE");
    private static final Set<String> ABSENT = Set.of("COMPRESSION", "PRIORITY", "TIDY_ON_UNSUBSCRIBE");
    private static final Set<String> NOT_SETTABLE = Set.of("OWNER", "PERSISTENT", "REMOVAL", "SCHEMA",
            "TIME_SERIES_EVENT_VALUE_TYPE", "VALIDATE_VALUES");
    private static final Set<String> CONFLATION = Set.of("off", "conflate", "unsubscribe");

    private PropertyMapping() {
    }

    /** The canonical key (upper case, without Diffusion's {@code DIFFUSION_} prefix of its C API). */
    static String key(String key) {
        String k = key.toUpperCase(Locale.ROOT);
        return k.startsWith("DIFFUSION_") ? k.substring("DIFFUSION_".length()) : k;
    }

    /** What is wrong with setting this property to this value, or null; the key is canonical. */
    static String keyProblem(String key) {
        if (SETTABLE.contains(key)) {
            return null;
        }
        if (ABSENT.contains(key)) {
            return "Pushgate has no topic property " + key + " (settable are " + String.join(", ", new java.util.TreeSet<>(SETTABLE)) + ")";
        }
        if (NOT_SETTABLE.contains(key)) {
            return "the property " + key + " cannot be set on a reference topic";
        }
        return "unknown topic property '" + DslScanner.shown(key) + "' (settable are " + String.join(", ", new java.util.TreeSet<>(SETTABLE)) + ")";
    }

    /** The canonical value, or null if it is not one the property takes; the key is settable. */
    static String value(String key, String value) {
        switch (key) {
            case "CONFLATION":
                String c = value.toLowerCase(Locale.ROOT);
                return CONFLATION.contains(c) ? c : null;
            case "DONT_RETAIN_VALUE":
            case "PUBLISH_VALUES_ONLY":
                String b = value.toLowerCase(Locale.ROOT);
                return b.equals("true") || b.equals("false") ? b : null;
            default:
                return value.isBlank() ? null : value;
        }
    }

    static String expectedValue(String key) {
        return switch (key) {
            case "CONFLATION" -> "off, conflate or unsubscribe";
            case "DONT_RETAIN_VALUE", "PUBLISH_VALUES_ONLY" -> "true or false";
            default -> "a range such as 'limit 100'";
        };
    }

    static Map<String, String> require(Map<String, String> properties) {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String problem = keyProblem(e.getKey());
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (!e.getValue().equals(value(e.getKey(), e.getValue()))) {
                throw new IllegalArgumentException("bad value '" + e.getValue() + "' for " + e.getKey() + ": expected " + expectedValue(e.getKey()));
            }
        }
        return properties;
    }
}
