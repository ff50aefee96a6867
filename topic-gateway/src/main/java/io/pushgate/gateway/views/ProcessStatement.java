package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The statement of a {@code process {...}} transformation and its evaluation, after Diffusion:
 * either operations ({@code set}, {@code remove}, {@code continue}) applied unconditionally, or
 * {@code if 'COND' OPS [elseif 'COND' OPS]... [else OPS]}, where no branch taken means no
 * reference topic. The operations of a branch are all computed on the value as it came in and
 * applied together at the end; a {@code set} that cannot be made (its parent missing, a
 * calculation on a field that is not a number, a division by zero) means no reference topic, a
 * {@code remove} of nothing is no failure.
 *
 * <p>Numbers: comparisons and calculations use decimal arithmetic (Diffusion 6.8 said integers
 * only; its later examples compare decimals such as 12.34). A result that is a whole number is
 * written as an integer ({@code 12.34 * 100} is {@code 1234}); a division is exact where it can
 * be, else rounded to 16 significant digits.
 */
public record ProcessStatement(List<Branch> branches) {

    /** One branch: a condition (empty for {@code else} and for an unconditional statement) and its operations. */
    public record Branch(Optional<Condition> condition, List<Operation> operations) {
        public Branch {
            Objects.requireNonNull(condition, "condition");
            operations = List.copyOf(operations);
            if (operations.isEmpty()) {
                throw new IllegalArgumentException("a branch has at least one operation");
            }
        }
    }

    /** An operation of a branch. */
    public sealed interface Operation permits Set, Remove, Continue {
    }

    /** {@code set(/pointer, value)} with a constant, or {@code set(/pointer, calc 'EXPR')}. */
    public record Set(String pointer, Optional<JsonNode> constant, Optional<Calc> calc) implements Operation {
        public Set {
            JsonPointers.require(pointer);
            if (pointer.isEmpty()) {
                throw new IllegalArgumentException("set needs a pointer to a field");
            }
            if (constant.isPresent() == calc.isPresent()) {
                throw new IllegalArgumentException("set takes a constant or a calculation");
            }
        }
    }

    /** {@code remove(/pointer)}. */
    public record Remove(String pointer) implements Operation {
        public Remove {
            JsonPointers.require(pointer);
            if (pointer.isEmpty()) {
                throw new IllegalArgumentException("remove needs a pointer to a field");
            }
        }
    }

    /** {@code continue}: go on with the value as it is. */
    public record Continue() implements Operation {
    }

    /** A condition of {@code if} or {@code elseif}. */
    public sealed interface Condition permits Compare, Exists, In, And, Or, Not {
    }

    /** The comparison operators, by their canonical symbol. */
    public enum Comparator {
        EQ("="), NE("!="), GT(">"), LT("<"), GE(">="), LE("<=");

        final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }
    }

    /** {@code /pointer OP constant} or {@code /pointer OP /pointer}: exactly one of the right-hand sides. */
    public record Compare(String pointer, Comparator op, Optional<JsonNode> constant, Optional<String> otherPointer)
            implements Condition {
        public Compare {
            JsonPointers.require(pointer);
            if (constant.isPresent() == otherPointer.isPresent()) {
                throw new IllegalArgumentException("compare with a constant or a pointer");
            }
            otherPointer.ifPresent(JsonPointers::require);
        }
    }

    /** {@code /pointer exists}. */
    public record Exists(String pointer) implements Condition {
        public Exists {
            JsonPointers.require(pointer);
        }
    }

    /** {@code /pointer in (c1, c2, ...)}: equal to one of the constants. */
    public record In(String pointer, List<JsonNode> constants) implements Condition {
        public In {
            JsonPointers.require(pointer);
            constants = List.copyOf(constants);
        }
    }

    public record And(Condition left, Condition right) implements Condition {
    }

    public record Or(Condition left, Condition right) implements Condition {
    }

    public record Not(Condition condition) implements Condition {
    }

    /** An arithmetic expression of {@code calc}. */
    public sealed interface Calc permits Number, Field, Negate, Arithmetic {
    }

    public record Number(BigDecimal value) implements Calc {
        @Override
        public boolean equals(Object o) {
            return o instanceof Number n && n.value.compareTo(value) == 0;
        }

        @Override
        public int hashCode() {
            return value.stripTrailingZeros().hashCode();
        }
    }

    public record Field(String pointer) implements Calc {
        public Field {
            JsonPointers.require(pointer);
        }
    }

    public record Negate(Calc operand) implements Calc {
    }

    public record Arithmetic(char op, Calc left, Calc right) implements Calc {
        public Arithmetic {
            if ("+-*/".indexOf(op) < 0) {
                throw new IllegalArgumentException("unknown operator " + op);
            }
        }
    }

    public ProcessStatement {
        branches = List.copyOf(branches);
        if (branches.isEmpty()) {
            throw new IllegalArgumentException("a process statement has a branch");
        }
    }

    /** True when the statement is {@code if ...}: without a branch taken, there is no reference topic. */
    public boolean conditional() {
        return branches.get(0).condition().isPresent();
    }

    /** The processed copy of the value, or empty when there is to be no reference topic. */
    public Optional<JsonNode> apply(JsonNode value) {
        for (Branch branch : branches) {
            if (branch.condition().isEmpty() || holds(branch.condition().get(), value)) {
                return applyOperations(branch.operations(), value);
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> applyOperations(List<Operation> operations, JsonNode value) {
        // Every value a set writes is computed on the value as it came in, then all are applied.
        List<Object[]> writes = new ArrayList<>();
        for (Operation op : operations) {
            if (op instanceof Set set) {
                Optional<JsonNode> v = set.constant().isPresent() ? set.constant() : evaluate(set.calc().get(), value).map(ProcessStatement::number);
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                writes.add(new Object[] {set.pointer(), v.get()});
            } else if (op instanceof Remove remove) {
                writes.add(new Object[] {remove.pointer(), null});
            }
        }
        JsonNode result = value.deepCopy();
        for (Object[] write : writes) {
            String pointer = (String) write[0];
            if (write[1] == null) {
                JsonTree.remove(result, pointer);
            } else if (!JsonTree.put(result, pointer, ((JsonNode) write[1]).deepCopy())) {
                return Optional.empty();
            }
        }
        return Optional.of(result);
    }

    static boolean holds(Condition condition, JsonNode value) {
        if (condition instanceof And a) {
            return holds(a.left(), value) && holds(a.right(), value);
        }
        if (condition instanceof Or o) {
            return holds(o.left(), value) || holds(o.right(), value);
        }
        if (condition instanceof Not n) {
            return !holds(n.condition(), value);
        }
        if (condition instanceof Exists e) {
            return !JsonPointers.at(value, e.pointer()).isMissingNode();
        }
        if (condition instanceof In in) {
            JsonNode left = JsonPointers.at(value, in.pointer());
            return !left.isMissingNode() && in.constants().stream().anyMatch(c -> Integer.valueOf(0).equals(compare(left, c)));
        }
        Compare c = (Compare) condition;
        JsonNode left = JsonPointers.at(value, c.pointer());
        JsonNode right = c.constant().orElseGet(() -> JsonPointers.at(value, c.otherPointer().get()));
        if (left.isMissingNode() || right.isMissingNode()) {
            return false; // a comparison with nothing holds for no operator, != included
        }
        Integer order = compare(left, right);
        return switch (c.op()) {
            case EQ -> order != null && order == 0;
            case NE -> order == null || order != 0;
            // ordering is for numbers only: order is null unless both are
            case GT -> left.isNumber() && order != null && order > 0;
            case LT -> left.isNumber() && order != null && order < 0;
            case GE -> left.isNumber() && order != null && order >= 0;
            case LE -> left.isNumber() && order != null && order <= 0;
        };
    }

    /** 0 when equal (numbers by value), the order of two numbers, null when unequal and not both numbers. */
    private static Integer compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            Optional<BigDecimal> x = decimal(a);
            Optional<BigDecimal> y = decimal(b);
            return x.isPresent() && y.isPresent() ? Integer.valueOf(x.get().compareTo(y.get())) : null;
        }
        return a.equals(b) ? Integer.valueOf(0) : null;
    }

    static Optional<BigDecimal> evaluate(Calc calc, JsonNode value) {
        if (calc instanceof Number n) {
            return Optional.of(n.value());
        }
        if (calc instanceof Field f) {
            JsonNode node = JsonPointers.at(value, f.pointer());
            return node.isNumber() ? decimal(node) : Optional.empty();
        }
        if (calc instanceof Negate n) {
            return evaluate(n.operand(), value).map(BigDecimal::negate);
        }
        Arithmetic a = (Arithmetic) calc;
        Optional<BigDecimal> left = evaluate(a.left(), value);
        Optional<BigDecimal> right = evaluate(a.right(), value);
        if (left.isEmpty() || right.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal x = left.get();
        BigDecimal y = right.get();
        return switch (a.op()) {
            case '+' -> Optional.of(x.add(y, MathContext.DECIMAL128));
            case '-' -> Optional.of(x.subtract(y, MathContext.DECIMAL128));
            case '*' -> Optional.of(x.multiply(y, MathContext.DECIMAL128));
            default -> y.signum() == 0 ? Optional.empty() : Optional.of(divide(x, y));
        };
    }

    private static BigDecimal divide(BigDecimal x, BigDecimal y) {
        try {
            return x.divide(y);
        } catch (ArithmeticException nonTerminating) {
            return x.divide(y, MathContext.DECIMAL64);
        }
    }

    private static Optional<BigDecimal> decimal(JsonNode number) {
        if (number.isFloatingPointNumber() && !number.isBigDecimal() && !Double.isFinite(number.doubleValue())) {
            return Optional.empty();
        }
        return Optional.of(number.decimalValue());
    }

    /**
     * A whole number as an integer node (int or long, as the gateway's JSON reader would make it),
     * any other as a decimal without trailing zeros.
     */
    static JsonNode number(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 18) {
            long n = stripped.longValueExact();
            return n == (int) n ? IntNode.valueOf((int) n) : LongNode.valueOf(n);
        }
        return DecimalNode.valueOf(stripped.scale() < 0 ? stripped.setScale(0) : stripped);
    }

    /** The canonical text of the statement, without the braces. */
    public String toDsl() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < branches.size(); i++) {
            Branch b = branches.get(i);
            if (i > 0) {
                out.append(' ');
            }
            if (b.condition().isPresent()) {
                out.append(i == 0 ? "if " : "elseif ").append(Transformation.quote(ProcessText.condition(b.condition().get()))).append(' ');
            } else if (i > 0) {
                out.append("else ");
            }
            for (int j = 0; j < b.operations().size(); j++) {
                out.append(j > 0 ? "; " : "").append(ProcessText.operation(b.operations().get(j)));
            }
        }
        return out.toString();
    }

    /** Writes into JSON trees with RFC 6901 pointers, Diffusion's way (parents must exist). */
    static final class JsonTree {

        private JsonTree() {
        }

        /** Sets or adds the value at the pointer; false if its parent is missing or not a container, or the index is out of range. */
        static boolean put(JsonNode root, String pointer, JsonNode value) {
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = JsonPointers.at(root, pointer.substring(0, slash));
            String token = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            if (parent instanceof ObjectNode object) {
                object.set(token, value);
                return true;
            }
            if (parent instanceof ArrayNode array) {
                int index = token.equals("-") ? array.size() : index(token);
                if (index < 0 || index > array.size()) {
                    return false;
                }
                if (index == array.size()) {
                    array.add(value);
                } else {
                    array.set(index, value);
                }
                return true;
            }
            return false;
        }

        /** Removes what is at the pointer, if anything. */
        static void remove(JsonNode root, String pointer) {
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = JsonPointers.at(root, pointer.substring(0, slash));
            String token = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            if (parent instanceof ObjectNode object) {
                object.remove(token);
            } else if (parent instanceof ArrayNode array) {
                int index = index(token);
                if (index >= 0 && index < array.size()) {
                    array.remove(index);
                }
            }
        }

        private static int index(String token) {
            boolean digits = !token.isEmpty() && token.length() <= 9 && token.chars().allMatch(Character::isDigit)
                    && (token.length() == 1 || token.charAt(0) != '0');
            return digits ? Integer.parseInt(token) : -1;
        }
    }

    @Override
    public String toString() {
        return toDsl();
    }

    static String constant(JsonNode c) {
        return c.isTextual() ? Transformation.quote(c.textValue()) : Json.write(c);
    }
}
