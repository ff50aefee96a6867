package io.pushgate.deploy;

import java.util.regex.Pattern;

/**
 * MicroProfile Config's environment-variable names: a property {@code gateway.security.issuers}
 * is found in {@code GATEWAY_SECURITY_ISSUERS}, every character other than a letter or a digit
 * becoming {@code _} and the rest upper case. The rule is lossy in that direction only, so a
 * variable is matched by converting the property names, never by guessing a property from it.
 */
final class EnvNames {

    private EnvNames() {
    }

    /** The environment-variable form of a property name (idempotent: a variable name maps to itself). */
    static String toEnv(String property) {
        StringBuilder out = new StringBuilder(property.length());
        for (int i = 0; i < property.length(); i++) {
            char c = property.charAt(i);
            out.append(isAsciiLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return out.toString();
    }

    /**
     * The variables that a property pattern stands for, as a regular expression: {@code *} is one
     * map key (any characters, since a quoted key may hold dots), {@code [*]} one list index.
     */
    static Pattern toEnvPattern(String propertyPattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < propertyPattern.length(); i++) {
            if (propertyPattern.startsWith("[*]", i)) {
                regex.append(Pattern.quote(toEnv(literal.toString()))).append("_[0-9]+_");
                literal.setLength(0);
                i += 2;
            } else if (propertyPattern.charAt(i) == '*') {
                regex.append(Pattern.quote(toEnv(literal.toString()))).append("[A-Z0-9_]+");
                literal.setLength(0);
            } else {
                literal.append(propertyPattern.charAt(i));
            }
        }
        regex.append(Pattern.quote(toEnv(literal.toString())));
        return Pattern.compile(regex.toString());
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
