package io.pushgate.gateway.sessions.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.SeededCases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random filters against random sessions: each filter is built as a small model of its own (not
 * the parser's classes), written out as text with random spelling (keyword case, quotes, spaces,
 * newlines, redundant brackets, commas or spaces in lists), parsed, and the parsed filter must
 * select exactly the sessions the model's own evaluation selects. The model states the documented
 * semantics directly, so the two are independent.
 */
class SessionFilterPropertyTest {

    private static final String[] KEYS = {"$Principal", "$Roles", "$Transport", "country", "tier", "a.b-c_d"};
    private static final String[] VALUES = {"bob", "alice", "UK", "FR", "SSE", "WEBSOCKET", "", "it's", "a\"b", "c\\d", "MODERATOR", "CLIENT"};
    private static final String[] ROLES = {"CLIENT", "MODERATOR", "ADMINISTRATOR", "it's"};

    /** The model: a filter as the documentation describes it. */
    private sealed interface Model {
    }

    private record MAll() implements Model {
    }

    private record MNot(Model m) implements Model {
    }

    private record MAnd(List<Model> ms) implements Model {
    }

    private record MOr(List<Model> ms) implements Model {
    }

    /** op is is, eq, ne or has. */
    private record MClause(String key, String op, String value) implements Model {
    }

    private record MIn(String key, List<String> values) implements Model {
    }

    private record MHasRoles(List<String> roles) implements Model {
    }

    /** A session as the model sees it: single values, and $Roles as a set. */
    private record ModelSession(Map<String, String> values, Set<String> roles) {
        Map<String, String> properties() {
            Map<String, String> p = new HashMap<>(values);
            if (roles != null) {
                p.put("$Roles", SessionProperties.roles(roles));
            }
            return p;
        }
    }

    private static boolean eval(Model m, ModelSession s) {
        if (m instanceof MAll) {
            return true;
        }
        if (m instanceof MNot not) {
            return !eval(not.m(), s);
        }
        if (m instanceof MAnd and) {
            return and.ms().stream().allMatch(x -> eval(x, s));
        }
        if (m instanceof MOr or) {
            return or.ms().stream().anyMatch(x -> eval(x, s));
        }
        if (m instanceof MIn in) {
            return in.values().stream().anyMatch(v -> equalsIn(s, in.key(), v));
        }
        if (m instanceof MHasRoles hr) {
            return s.roles() == null ? hr.roles().isEmpty() : s.roles().containsAll(hr.roles());
        }
        MClause c = (MClause) m;
        return switch (c.op()) {
            case "ne" -> !equalsIn(s, c.key(), c.value());
            case "has" -> c.key().equals("$Roles") ? s.roles() != null && s.roles().contains(c.value()) : c.value().equals(s.values().get(c.key()));
            default -> equalsIn(s, c.key(), c.value());
        };
    }

    private static boolean equalsIn(ModelSession s, String key, String value) {
        if (key.equals("$Roles")) {
            // An equality on $Roles compares the set with the set of roles written in the value.
            return s.roles() != null && s.roles().equals(new LinkedHashSet<>(SessionProperties.parseRoles(value)));
        }
        return value.equals(s.values().get(key));
    }

    private static Model model(Random r, int depth) {
        int choice = depth >= 4 ? 4 + r.nextInt(3) : r.nextInt(8);
        return switch (choice) {
            case 0 -> new MNot(model(r, depth + 1));
            case 1, 2 -> {
                List<Model> ms = new ArrayList<>();
                int n = 2 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    ms.add(model(r, depth + 1));
                }
                yield choice == 1 ? new MAnd(ms) : new MOr(ms);
            }
            case 3 -> new MAll();
            case 4 -> {
                String key = pick(r, KEYS);
                String op = pick(r, new String[] {"is", "eq", "ne", "has"});
                String value = key.equals("$Roles") && !op.equals("has") && r.nextBoolean()
                        ? SessionProperties.roles(someOf(r, ROLES)) : key.equals("$Roles") ? pick(r, ROLES) : pick(r, VALUES);
                yield new MClause(key, op, value);
            }
            case 5 -> {
                List<String> values = new ArrayList<>();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    values.add(pick(r, VALUES));
                }
                yield new MIn(pick(r, KEYS).replace("$Roles", "country"), values);
            }
            default -> new MHasRoles(new ArrayList<>(someOf(r, ROLES)));
        };
    }

    /** The model written as text, spelled at random in one of the many ways the grammar allows. */
    private static String write(Model m, Random r) {
        String text;
        if (m instanceof MAll) {
            text = kw(r, "all");
        } else if (m instanceof MNot not) {
            text = kw(r, "not") + space(r) + bracketed(not.m(), r);
        } else if (m instanceof MAnd and) {
            text = joined(and.ms(), "and", r);
        } else if (m instanceof MOr or) {
            text = joined(or.ms(), "or", r);
        } else if (m instanceof MIn in) {
            text = in.key() + space(r) + kw(r, "in") + optionalSpace(r) + list(in.values(), r);
        } else if (m instanceof MHasRoles hr) {
            text = kw(r, "hasRoles") + optionalSpace(r) + list(hr.roles(), r);
        } else {
            MClause c = (MClause) m;
            text = c.key() + space(r) + kw(r, c.op()) + optionalSpace(r) + quote(c.value(), r);
        }
        return r.nextInt(8) == 0 ? "(" + optionalSpace(r) + text + optionalSpace(r) + ")" : text;
    }

    /** Operands of a not, and, or are bracketed unless they are clauses (so the text means the model's tree). */
    private static String bracketed(Model m, Random r) {
        boolean compound = m instanceof MAnd || m instanceof MOr;
        String inner = write(m, r);
        return compound ? "(" + optionalSpace(r) + inner + optionalSpace(r) + ")" : inner;
    }

    private static String joined(List<Model> ms, String op, Random r) {
        StringBuilder sb = new StringBuilder();
        for (Model m : ms) {
            if (sb.length() > 0) {
                sb.append(space(r)).append(kw(r, op)).append(space(r));
            }
            sb.append(bracketed(m, r));
        }
        return sb.toString();
    }

    private static String list(List<String> values, Random r) {
        StringBuilder sb = new StringBuilder("[").append(optionalSpace(r));
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(r.nextBoolean() ? "," + optionalSpace(r) : space(r));
            }
            sb.append(quote(values.get(i), r));
        }
        return sb.append(optionalSpace(r)).append(']').toString();
    }

    private static String quote(String value, Random r) {
        char q = r.nextBoolean() ? '\'' : '"';
        StringBuilder sb = new StringBuilder().append(q);
        for (char c : value.toCharArray()) {
            if (c == q || c == '\\' || (c == '\'' || c == '"') && r.nextInt(4) == 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append(q).toString();
    }

    private static String kw(Random r, String keyword) {
        return switch (r.nextInt(4)) {
            case 0 -> keyword.toUpperCase(Locale.ROOT);
            case 1 -> Character.toUpperCase(keyword.charAt(0)) + keyword.substring(1);
            default -> keyword;
        };
    }

    private static String space(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "  ";
            case 1 -> "\n";
            case 2 -> " \t ";
            default -> " ";
        };
    }

    private static String optionalSpace(Random r) {
        return r.nextBoolean() ? "" : space(r);
    }

    private static ModelSession session(Random r) {
        Map<String, String> values = new HashMap<>();
        for (String key : KEYS) {
            if (!key.equals("$Roles") && r.nextInt(4) != 0) {
                values.put(key, pick(r, VALUES));
            }
        }
        return new ModelSession(values, r.nextInt(5) == 0 ? null : new LinkedHashSet<>(someOf(r, ROLES)));
    }

    private static List<String> someOf(Random r, String[] all) {
        List<String> out = new ArrayList<>();
        for (String s : all) {
            if (r.nextInt(3) == 0) {
                out.add(s);
            }
        }
        return out;
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    @Test
    void aParsedFilterSelectsExactlyWhatTheModelSelects() {
        SeededCases.forEachSeed("session filter vs model", 3000, r -> {
            Model model = model(r, 0);
            String text = write(model, r);
            SessionFilter filter = SessionFilter.parse(text, 64);
            SessionFilter canonical = SessionFilter.parse(filter.text(), 64);
            assertThat(canonical).as("canonical text of %s", text).isEqualTo(filter);
            for (int i = 0; i < 20; i++) {
                ModelSession s = session(r);
                assertThat(filter.matches(s.properties())).as("%s on %s", text, s).isEqualTo(eval(model, s));
            }
        });
    }

    @Test
    void aMangledFilterIsRefusedWithAPositionInsideTheText() {
        SeededCases.forEachSeed("mangled session filter", 2000, r -> {
            String text = write(model(r, 0), r);
            // Cut it short or drop one character: it may still parse (then it must evaluate without
            // throwing); if not, the error points inside the text or just after it.
            String mangled = r.nextBoolean() ? text.substring(0, r.nextInt(text.length() + 1))
                    : dropOne(text, r.nextInt(text.length()));
            try {
                SessionFilter.parse(mangled, 64).matches(session(r).properties());
            } catch (SessionFilterSyntaxException e) {
                String[] lines = mangled.split("\n", -1);
                assertThat(e.line()).isBetween(1, lines.length);
                assertThat(e.column()).isBetween(1, lines[e.line() - 1].length() + 1);
            }
        });
    }

    private static String dropOne(String s, int i) {
        return s.substring(0, i) + s.substring(i + 1);
    }
}
