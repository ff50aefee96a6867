package io.pushgate.gateway.views;

import static io.pushgate.gateway.SeededCases.between;
import static io.pushgate.gateway.SeededCases.forEachSeed;
import static io.pushgate.gateway.SeededCases.size;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.views.PathTemplate.Literal;
import io.pushgate.gateway.views.PathTemplate.Part;
import io.pushgate.gateway.views.PathTemplate.Scalar;
import io.pushgate.gateway.views.PathTemplate.SourcePath;
import io.pushgate.protocol.TopicType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Round trips over generated valid specs, rendered canonically and in any allowed spelling, each
 * property checked on 500 seeded random cases (a failure names the seed that replays it).
 */
class ViewSpecPropertiesTest {

    private static final int TRIES = 500;

    private static final List<TopicType> TARGET_TYPES = List.copyOf(ViewSpec.TARGET_TYPES);

    @Test
    void theCanonicalRenderingParsesBackToAnEqualSpec() {
        forEachSeed("theCanonicalRenderingParsesBackToAnEqualSpec", TRIES, random -> {
            ViewSpec spec = spec(random);
            String dsl = spec.toDsl();
            ViewSpec parsed = ViewParser.parse(dsl);

            assertThat(parsed).isEqualTo(spec);
            assertThat(parsed.text()).isEqualTo(dsl);
            assertThat(parsed.toDsl()).isEqualTo(dsl);
        });
    }

    @Test
    void anyAllowedSpellingParsesToTheSameSpec() {
        forEachSeed("anyAllowedSpellingParsesToTheSameSpec", TRIES, random -> {
            ViewSpec spec = spec(random);
            String text = new Spelling(new Random(random.nextLong())).of(spec);

            assertThat(ViewParser.parse(text)).as(text).isEqualTo(spec);
        });
    }

    /**
     * A valid spec: a selector, a target template, and each optional clause present with its own
     * probability: value pointer 1/2, throttle (1 to 1000 updates) 1/2, delay 3/10, type 4/10,
     * separator (up to 4 of A Z a z 0 9 _ . - /, never "//") 3/10.
     */
    private static ViewSpec spec(Random random) {
        String selector = selector(random);
        PathTemplate target = template(random);
        Optional<String> value = optional(random, 0.5, ViewSpecPropertiesTest::pointer);
        Optional<Throttle> throttle = optional(random, 0.5, r -> new Throttle(between(r, 1, 1000), duration(r)));
        Optional<Duration> delay = optional(random, 0.3, ViewSpecPropertiesTest::duration);
        Optional<TopicType> type = optional(random, 0.4, r -> TARGET_TYPES.get(r.nextInt(TARGET_TYPES.size())));
        Optional<String> separator = optional(random, 0.3, r -> {
            String s;
            do {
                s = chars(r, "AZaz09_.-/", 0, 4);
            } while (s.contains("//"));
            return s;
        });
        return new ViewSpec("", selector, target, value, throttle, delay, type, separator);
    }

    /** Plain (selector characters, 1 to 20), odd (quotes, spaces, backslashes; 1 to 12) or a keyword-like one. */
    private static String selector(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> {
                String s;
                do {
                    s = chars(random, "?>*#/abcXYZ09_.-[]^+\\", 1, 20);
                } while (s.startsWith("'"));
                yield s;
            }
            case 1 -> chars(random, "ab /\"'\\\t\n", 1, 12);
            default -> oneOf(random, "to", "TO", "map", "as", "\"", "'x'");
        };
    }

    /** 1 to 4 segments joined by "/", each 1 to 3 parts: a literal (1 in 2), a source path or a scalar. */
    private static PathTemplate template(Random random) {
        List<Part> parts = new ArrayList<>();
        for (int segment = size(random, 1, 4); segment > 0; segment--) {
            if (!parts.isEmpty()) {
                parts.add(new Literal("/"));
            }
            for (int n = size(random, 1, 3); n > 0; n--) {
                parts.add(switch (random.nextInt(4)) {
                    case 0, 1 -> new Literal(chars(random, "AZaz09_.-", 1, 8));
                    case 2 -> {
                        int start = between(random, 0, 6);
                        Optional<Integer> count = optional(random, 0.5, r -> between(r, 1, 4));
                        yield new SourcePath(start, count.map(OptionalInt::of).orElse(OptionalInt.empty()));
                    }
                    default -> new Scalar(pointer(random));
                });
            }
        }
        return PathTemplate.of(parts);
    }

    /** Pointers with the characters that need care: ) \ ( > < spaces, escapes ~0 ~1. */
    private static String pointer(Random random) {
        // "" is the whole value; "/" + nothing is the key "" (both valid RFC 6901 pointers)
        if (random.nextBoolean()) {
            return "";
        }
        List<String> tokens = new ArrayList<>();
        for (int n = size(random, 0, 4); n > 0; n--) {
            tokens.add(random.nextBoolean()
                    ? chars(random, "abXY09 ()<>\\,_", 0, 5)
                    : oneOf(random, "~0", "~1", "0", "-", "bpi"));
        }
        return "/" + String.join("/", tokens);
    }

    /** Milliseconds (1 to 100000), seconds (to 5000), minutes (to 500) or hours (to 100), evenly. */
    private static Duration duration(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Duration.ofMillis(between(random, 1, 100_000));
            case 1 -> Duration.ofSeconds(between(random, 1, 5_000));
            case 2 -> Duration.ofMinutes(between(random, 1, 500));
            default -> Duration.ofHours(between(random, 1, 100));
        };
    }


    /** {@code minLength} to {@code maxLength} characters, each any of {@code chars}. */
    private static String chars(Random random, String chars, int minLength, int maxLength) {
        StringBuilder out = new StringBuilder();
        for (int n = size(random, minLength, maxLength); n > 0; n--) {
            out.append(chars.charAt(random.nextInt(chars.length())));
        }
        return out.toString();
    }

    private static String oneOf(Random random, String... values) {
        return values[random.nextInt(values.length)];
    }

    /** Present with the given probability. */
    private static <T> Optional<T> optional(Random random, double presence, Function<Random, T> value) {
        return random.nextDouble() < presence ? Optional.of(value.apply(random)) : Optional.empty();
    }

    /** Writes a spec with random case, whitespace, clause order, units and quoting. */
    private static final class Spelling {

        private final Random random;

        Spelling(Random random) {
            this.random = random;
        }

        String of(ViewSpec spec) {
            List<String> clauses = new ArrayList<>();
            spec.valuePointer().ifPresent(p -> clauses.add(kw("as") + ws() + "<" + kw("value") + "(" + pointer(p) + ")>"));
            spec.throttle().ifPresent(t -> clauses.add(kw("throttle") + ws() + kw("to") + ws() + number(t.updates()) + ws()
                    + kw(t.updates() == 1 && random.nextBoolean() ? "update" : random.nextBoolean() ? "updates" : "update")
                    + ws() + kw("every") + ws() + duration(t.period())));
            spec.delay().ifPresent(d -> clauses.add(kw("delay") + ws() + kw("by") + ws() + duration(d)));
            spec.type().ifPresent(t -> clauses.add(kw("type") + ws() + kw(t.name())));
            spec.separator().ifPresent(s -> clauses.add(kw("separator") + ws() + (random.nextBoolean() ? "'" + s + "'" : "\"" + s + "\"")));
            Collections.shuffle(clauses, random);
            StringBuilder out = new StringBuilder(maybeWs()).append(kw("map")).append(ws()).append(selector(spec.selector()))
                    .append(ws()).append(kw("to")).append(ws()).append(template(spec.target()));
            clauses.forEach(c -> out.append(ws()).append(c));
            return out.append(maybeWs()).toString();
        }

        private String selector(String s) {
            boolean mustQuote = s.startsWith("\"") || s.startsWith("'") || s.chars().anyMatch(Character::isWhitespace);
            boolean canBeBare = !mustQuote && !s.equalsIgnoreCase("to");
            if (canBeBare && random.nextInt(3) > 0) {
                return s;
            }
            char q = random.nextBoolean() ? '"' : '\'';
            return q + s.replace("\\", "\\\\").replace(String.valueOf(q), "\\" + q) + q;
        }

        private String template(PathTemplate t) {
            StringBuilder out = new StringBuilder();
            for (Part part : t.parts()) {
                if (part instanceof Literal l) {
                    out.append(l.text());
                } else if (part instanceof SourcePath p) {
                    out.append('<').append(kw("path")).append('(').append(maybeWs()).append(number(p.start())).append(maybeWs());
                    p.count().ifPresent(c -> out.append(',').append(maybeWs()).append(number(c)).append(maybeWs()));
                    out.append(")>");
                } else {
                    out.append('<').append(kw("scalar")).append('(').append(pointer(((Scalar) part).pointer())).append(")>");
                }
            }
            return out.toString();
        }

        /** Escapes what must be, and now and then a character that need not be. */
        private String pointer(String p) {
            StringBuilder out = new StringBuilder();
            for (char c : p.toCharArray()) {
                if (c == '\\' || c == ')' || random.nextInt(8) == 0) {
                    out.append('\\');
                }
                out.append(c);
            }
            return out.toString();
        }

        private String duration(Duration d) {
            long millis = d.toMillis();
            List<String> spellings = new ArrayList<>();
            for (DurationUnit unit : DurationUnit.values()) {
                long size = unit.of(1).toMillis();
                if (millis % size == 0 && millis / size <= Integer.MAX_VALUE) {
                    long n = millis / size;
                    String name = unit.singular() + (random.nextBoolean() ? "s" : "");
                    spellings.add(number(n) + ws() + kw(name));
                    if (n == 1) {
                        spellings.add(kw(unit.singular()));
                    }
                }
            }
            return spellings.get(random.nextInt(spellings.size()));
        }

        private String number(long n) {
            return "0".repeat(random.nextInt(10) == 0 ? 1 : 0) + n;
        }

        private String kw(String word) {
            return switch (random.nextInt(3)) {
                case 0 -> word.toLowerCase(Locale.ROOT);
                case 1 -> word.toUpperCase(Locale.ROOT);
                default -> Character.toUpperCase(word.charAt(0)) + word.substring(1).toLowerCase(Locale.ROOT);
            };
        }

        private String ws() {
            String[] choices = {" ", "  ", "\t", "\n", "\r\n", " \n\t "};
            return choices[random.nextInt(choices.length)];
        }

        private String maybeWs() {
            return random.nextBoolean() ? "" : ws();
        }
    }
}
