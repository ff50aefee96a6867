package io.pushgate.gateway.views;

import static io.pushgate.gateway.SeededCases.between;
import static io.pushgate.gateway.SeededCases.forEachSeed;
import static io.pushgate.gateway.SeededCases.size;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.gateway.views.PathTemplate.Expand;
import io.pushgate.gateway.views.PathTemplate.Literal;
import io.pushgate.gateway.views.PathTemplate.Part;
import io.pushgate.gateway.views.PathTemplate.Scalar;
import io.pushgate.gateway.views.PathTemplate.SourcePath;
import io.pushgate.gateway.views.ProcessStatement.Branch;
import io.pushgate.gateway.views.ProcessStatement.Calc;
import io.pushgate.gateway.views.ProcessStatement.Comparator;
import io.pushgate.gateway.views.ProcessStatement.Condition;
import io.pushgate.gateway.views.ProcessStatement.Operation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The canonical rendering of views with every clause parses back to an equal spec: 500 seeded
 * random specs with remote servers, expands, patches, processes (conditions and calculations with
 * the characters that need escaping), inserts, properties and the option words.
 */
class ViewSpecClausesPropertiesTest {

    private static final int TRIES = 500;
    private static final String ODD = "abXY09 ()<>\\,_=!&|+*-'\"~";

    @Test
    void theCanonicalRenderingOfEveryClauseParsesBackToAnEqualSpec() {
        forEachSeed("theCanonicalRenderingOfEveryClauseParsesBackToAnEqualSpec", TRIES, random -> {
            ViewSpec spec = spec(random);
            String dsl = spec.toDsl();
            ViewSpec parsed;
            try {
                parsed = ViewParser.parse(dsl);
            } catch (ViewSyntaxException e) {
                throw new AssertionError(e.getMessage() + " in: " + dsl, e);
            }

            assertThat(parsed).as(dsl).isEqualTo(spec);
            assertThat(parsed.toDsl()).isEqualTo(dsl);
        });
    }

    private static ViewSpec spec(Random r) {
        Optional<String> server = r.nextInt(3) == 0 ? Optional.of(nonEmpty(r, "ab Z'\"\\-_")) : Optional.empty();
        List<Transformation> transformations = new ArrayList<>();
        for (int n = r.nextInt(3); n > 0; n--) {
            transformations.add(r.nextBoolean() ? new Transformation.Patch(patch(r)) : new Transformation.Process(statement(r)));
        }
        int inserts = r.nextInt(3);
        for (int n = inserts; n > 0; n--) {
            transformations.add(insert(r));
        }
        Map<String, String> properties = new TreeMap<>();
        if (r.nextInt(3) == 0) {
            properties.put("CONFLATION", List.of("off", "conflate", "unsubscribe").get(r.nextInt(3)));
        }
        if (r.nextInt(3) == 0) {
            properties.put("DONT_RETAIN_VALUE", r.nextBoolean() ? "true" : "false");
        }
        if (r.nextInt(4) == 0) {
            properties.put("TIME_SERIES_SUBSCRIPTION_RANGE", "limit " + between(r, 1, 100));
        }
        return new ViewSpec("", "?src//", server, template(r, true), transformations,
                r.nextBoolean() ? Optional.of(pointer(r, true)) : Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), properties, r.nextBoolean(), inserts > 0 && r.nextBoolean());
    }

    private static PathTemplate template(Random r, boolean expandAllowed) {
        List<Part> parts = new ArrayList<>();
        for (int segment = size(r, 1, 3); segment > 0; segment--) {
            if (!parts.isEmpty()) {
                parts.add(new Literal("/"));
            }
            parts.add(switch (r.nextInt(expandAllowed ? 5 : 4)) {
                case 0, 1 -> new Literal(nonEmpty(r, "AZaz09_.-"));
                case 2 -> new SourcePath(between(r, 0, 5), r.nextBoolean() ? OptionalInt.of(between(r, 1, 3)) : OptionalInt.empty());
                case 3 -> new Scalar(pointer(r, true));
                default -> new Expand(pointer(r, true), r.nextBoolean() ? Optional.of(pointer(r, false)) : Optional.empty());
            });
        }
        return PathTemplate.of(parts);
    }

    /** A pointer with the characters that end tokens somewhere in the language; "" only where allowed. */
    private static String pointer(Random r, boolean emptyAllowed) {
        if (emptyAllowed && r.nextInt(4) == 0) {
            return "";
        }
        List<String> tokens = new ArrayList<>();
        for (int n = size(r, 1, 3); n > 0; n--) {
            tokens.add(r.nextBoolean() ? chars(r, ODD.replace("~", ""), 0, 4) : List.of("~0", "~1", "0", "-", "name").get(r.nextInt(5)));
        }
        return "/" + String.join("/", tokens);
    }

    private static JsonNode patch(Random r) {
        ArrayNode ops = JsonNodeFactory.instance.arrayNode();
        for (int n = r.nextInt(3); n > 0; n--) {
            ObjectNode op = ops.addObject();
            String name = List.of("add", "remove", "replace", "move", "copy", "test").get(r.nextInt(6));
            op.put("op", name);
            op.put("path", pointer(r, true));
            if (name.equals("move") || name.equals("copy")) {
                op.put("from", pointer(r, true));
            }
            if (name.equals("add") || name.equals("replace") || name.equals("test")) {
                op.set("value", constant(r));
            }
        }
        return ops;
    }

    private static ProcessStatement statement(Random r) {
        List<Branch> branches = new ArrayList<>();
        if (r.nextBoolean()) {
            branches.add(new Branch(Optional.empty(), operations(r)));
        } else {
            for (int n = size(r, 1, 3); n > 0; n--) {
                branches.add(new Branch(Optional.of(condition(r, 3)), operations(r)));
            }
            if (r.nextBoolean()) {
                branches.add(new Branch(Optional.empty(), operations(r)));
            }
        }
        return new ProcessStatement(branches);
    }

    private static List<Operation> operations(Random r) {
        List<Operation> ops = new ArrayList<>();
        for (int n = size(r, 1, 3); n > 0; n--) {
            ops.add(switch (r.nextInt(4)) {
                case 0 -> new ProcessStatement.Set(pointer(r, false), Optional.of(constant(r)), Optional.empty());
                case 1 -> new ProcessStatement.Set(pointer(r, false), Optional.empty(), Optional.of(calc(r, 3)));
                case 2 -> new ProcessStatement.Remove(pointer(r, false));
                default -> new ProcessStatement.Continue();
            });
        }
        return ops;
    }

    private static Condition condition(Random r, int depth) {
        int kind = depth == 0 ? r.nextInt(3) : r.nextInt(6);
        return switch (kind) {
            case 0 -> r.nextBoolean()
                    ? new ProcessStatement.Compare(pointer(r, false), comparator(r), Optional.of(constant(r)), Optional.empty())
                    : new ProcessStatement.Compare(pointer(r, false), comparator(r), Optional.empty(), Optional.of(pointer(r, false)));
            case 1 -> new ProcessStatement.Exists(pointer(r, false));
            case 2 -> new ProcessStatement.In(pointer(r, false), List.of(constant(r), constant(r)));
            case 3 -> new ProcessStatement.And(condition(r, depth - 1), condition(r, depth - 1));
            case 4 -> new ProcessStatement.Or(condition(r, depth - 1), condition(r, depth - 1));
            default -> new ProcessStatement.Not(condition(r, depth - 1));
        };
    }

    private static Comparator comparator(Random r) {
        return Comparator.values()[r.nextInt(Comparator.values().length)];
    }

    private static Calc calc(Random r, int depth) {
        int kind = depth == 0 ? r.nextInt(2) : r.nextInt(4);
        return switch (kind) {
            case 0 -> new ProcessStatement.Number(new BigDecimal(between(r, -500, 500)).movePointLeft(r.nextInt(3)));
            case 1 -> new ProcessStatement.Field(pointer(r, false));
            case 2 -> new ProcessStatement.Negate(calc(r, depth - 1));
            default -> new ProcessStatement.Arithmetic("+-*/".charAt(r.nextInt(4)), calc(r, depth - 1), calc(r, depth - 1));
        };
    }

    /** A constant as the parser makes them: numbers normalised, strings with quotes and backslashes. */
    private static JsonNode constant(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> TextNode.valueOf(chars(r, ODD, 0, 6));
            case 1 -> ProcessStatement.number(new BigDecimal(between(r, -10_000, 10_000)).movePointLeft(r.nextInt(4)));
            case 2 -> BooleanNode.valueOf(r.nextBoolean());
            case 3 -> NullNode.instance;
            default -> ProcessStatement.number(BigDecimal.valueOf(between(r, 0, 100)));
        };
    }

    private static Transformation.Insert insert(Random r) {
        Optional<JsonNode> fallback = switch (r.nextInt(3)) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(TextNode.valueOf(chars(r, ODD, 0, 5)));
            default -> Optional.of(constant(r)).filter(c -> !c.isTextual());
        };
        return new Transformation.Insert(template(r, false), r.nextBoolean() ? Optional.of(pointer(r, false)) : Optional.empty(),
                pointer(r, false), fallback);
    }

    private static String nonEmpty(Random r, String chars) {
        return chars(r, chars, 1, 6);
    }

    private static String chars(Random r, String chars, int min, int max) {
        StringBuilder out = new StringBuilder();
        for (int n = size(r, min, max); n > 0; n--) {
            out.append(chars.charAt(r.nextInt(chars.length())));
        }
        return out.toString();
    }
}
