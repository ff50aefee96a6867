package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.gateway.views.ProcessStatement.Branch;
import io.pushgate.gateway.views.ProcessStatement.Calc;
import io.pushgate.gateway.views.ProcessStatement.Comparator;
import io.pushgate.gateway.views.ProcessStatement.Condition;
import io.pushgate.gateway.views.ProcessStatement.Operation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code process {STATEMENT}} from the {@code {}: operations separated by {@code ;}, or
 * {@code if 'COND' OPS [elseif|elsf 'COND' OPS]... [else OPS]}. Conditions and calculations are
 * quoted strings with a grammar of their own, read here with positions into the whole view:
 *
 * <pre>
 * condition  := or;  or := and (('or' | '|') and)*;  and := unary (('and' | '&amp;') unary)*
 * unary      := 'not' unary | '(' or ')' | /pointer OP (constant | /pointer) | /pointer 'exists'
 *             | /pointer 'in' '(' constant (',' constant)* ')'
 * OP         := = eq != ne &gt; gt &lt; lt &gt;= ge &lt;= le
 * calc       := term (('+' | '-') term)*;  term := factor (('*' | '/') factor)*
 * factor     := number | /pointer | '-' factor | '(' calc ')'
 * </pre>
 *
 * A pointer in a condition ends at white space or one of {@code ( ) = ! < > & | ,}; in a
 * calculation at white space or {@code ( ) + *}, so a {@code -} or {@code /} after a pointer needs
 * white space before it; {@code \x} escapes any of them.
 */
final class ProcessParser {

    private final DslScanner in;

    private ProcessParser(DslScanner in) {
        this.in = in;
    }

    /** Parses from the {@code {}, which is at the cursor; leaves the cursor after the {@code }}. */
    static ProcessStatement parse(DslScanner in) {
        return new ProcessParser(in).block();
    }

    private ProcessStatement block() {
        int open = in.pos();
        if (in.atEnd() || in.peek() != '{') {
            throw in.error(open, "expected '{' after 'process'");
        }
        in.advance();
        List<Branch> branches = new ArrayList<>();
        in.skipWhitespace();
        if (peekWord().equals("if")) {
            in.name();
            branches.add(new Branch(Optional.of(quotedCondition()), operations(open)));
            while (true) {
                String w = peekWord();
                if (w.equals("elseif") || w.equals("elsf")) {
                    in.name();
                    branches.add(new Branch(Optional.of(quotedCondition()), operations(open)));
                } else if (w.equals("else")) {
                    in.name();
                    branches.add(new Branch(Optional.empty(), operations(open)));
                    break;
                } else {
                    break;
                }
            }
        } else {
            branches.add(new Branch(Optional.empty(), operations(open)));
        }
        in.skipWhitespace();
        if (in.atEnd()) {
            throw in.error(open, "unterminated process: expected '}'");
        }
        if (in.peek() != '}') {
            int at = in.pos();
            throw in.error(at, "expected ';', elseif, else or '}', found '" + DslScanner.shown(in.word()) + "'");
        }
        in.advance();
        // Diffusion's one-line API examples end in "};": the ';' is allowed
        if (!in.atEnd() && in.peek() == ';') {
            in.advance();
        }
        in.endOfToken("the process statement");
        return new ProcessStatement(branches);
    }

    private String peekWord() {
        in.skipWhitespace();
        int mark = in.pos();
        String w = in.name().toLowerCase(Locale.ROOT);
        in.rewind(mark);
        return w;
    }

    private List<Operation> operations(int open) {
        List<Operation> ops = new ArrayList<>();
        ops.add(operation(open));
        while (true) {
            in.skipWhitespace();
            if (in.atEnd() || in.peek() != ';') {
                return ops;
            }
            in.advance();
            ops.add(operation(open));
        }
    }

    private Operation operation(int open) {
        in.skipWhitespace();
        int at = in.pos();
        if (in.atEnd()) {
            throw in.error(open, "unterminated process: expected '}'");
        }
        String name = in.name();
        switch (name.toLowerCase(Locale.ROOT)) {
            case "continue" -> {
                return new ProcessStatement.Continue();
            }
            case "remove" -> {
                open(at, "remove");
                String pointer = operationPointer(at, ")");
                close(at);
                return new ProcessStatement.Remove(pointer);
            }
            case "set" -> {
                open(at, "set");
                String pointer = operationPointer(at, ",)");
                if (in.atEnd() || in.peek() != ',') {
                    throw in.error(in.pos(), "expected ',' and a value after the pointer of set");
                }
                in.advance();
                in.skipWhitespace();
                ProcessStatement.Set set;
                int valueAt = in.pos();
                if (in.name().equalsIgnoreCase("calc")) {
                    in.skipWhitespace();
                    set = new ProcessStatement.Set(pointer, Optional.empty(), Optional.of(quotedCalc()));
                } else {
                    in.rewind(valueAt);
                    set = new ProcessStatement.Set(pointer, Optional.of(setValue()), Optional.empty());
                }
                close(at);
                return set;
            }
            default -> throw in.error(at, name.isEmpty()
                    ? "expected an operation: set(/pointer, value), remove(/pointer) or continue"
                    : "unknown operation '" + DslScanner.shown(name) + "': expected set, remove or continue");
        }
    }

    private void open(int at, String op) {
        in.skipWhitespace();
        if (in.atEnd() || in.peek() != '(') {
            throw in.error(in.pos(), "expected '(' after '" + op + "'");
        }
        in.advance();
        in.skipWhitespace();
    }

    private void close(int at) {
        in.skipWhitespace();
        if (in.atEnd() || in.peek() != ')') {
            throw in.error(in.atEnd() ? at : in.pos(), "expected ')'");
        }
        in.advance();
    }

    private String operationPointer(int opStart, String ends) {
        int at = in.pos();
        String pointer = in.pointerArgument(opStart, ends);
        String problem = JsonPointers.problem(pointer);
        if (problem == null && pointer.isEmpty()) {
            problem = "expected a pointer to a field, such as /name";
        }
        if (problem != null) {
            throw in.error(at, "bad pointer '" + DslScanner.shown(pointer) + "': " + problem);
        }
        return pointer;
    }

    /** The constant of a set: a quoted string, a number, true, false or null. */
    private JsonNode setValue() {
        int at = in.pos();
        if (!in.atEnd() && (in.peek() == '\'' || in.peek() == '"')) {
            return TextNode.valueOf(in.quoted());
        }
        StringBuilder token = new StringBuilder();
        while (!in.atEnd() && !in.atWhitespace() && in.peek() != ')') {
            token.append(in.peek());
            in.advance();
        }
        return literal(in, token.toString(), at).orElseThrow(() -> in.error(at,
                "bad value '" + DslScanner.shown(token.toString()) + "': expected a number, a quoted string, true, false or calc '...'"));
    }

    /** A number, true, false or null; empty for anything else. */
    static Optional<JsonNode> literal(DslScanner in, String token, int at) {
        switch (token) {
            case "true":
                return Optional.of(BooleanNode.TRUE);
            case "false":
                return Optional.of(BooleanNode.FALSE);
            case "null":
                return Optional.of(NullNode.instance);
            default:
                if (token.length() <= 100 && token.matches("-?([0-9]+(\\.[0-9]+)?|\\.[0-9]+)([eE][-+]?[0-9]{1,4})?")) {
                    return Optional.of(ProcessStatement.number(new BigDecimal(token)));
                }
                return Optional.empty();
        }
    }

    private DslScanner quotedPart(String what) {
        int at = in.pos();
        if (in.atEnd() || (in.peek() != '\'' && in.peek() != '"')) {
            throw in.error(at, "expected a quoted " + what);
        }
        String text = in.quoted();
        return new DslScanner(text, in.text(), at + 1);
    }

    private Condition quotedCondition() {
        in.skipWhitespace();
        int at = in.pos();
        DslScanner c = quotedPart("condition such as '/price > 20'");
        if (c.text().isBlank()) {
            throw in.error(at, "empty condition");
        }
        return new ConditionParser(c).condition();
    }

    private Calc quotedCalc() {
        int at = in.pos();
        DslScanner c = quotedPart("calculation such as '/amount * 100'");
        if (c.text().isBlank()) {
            throw in.error(at, "empty calculation");
        }
        return new CalcParser(c).calculation();
    }

    /** Reads a pointer token: up to white space or an ending character, {@code \x} standing for x. */
    static String pointerToken(DslScanner in, String ends) {
        StringBuilder out = new StringBuilder();
        while (!in.atEnd() && !in.atWhitespace() && ends.indexOf(in.peek()) < 0) {
            char ch = in.peek();
            in.advance();
            if (ch == '\\' && !in.atEnd()) {
                ch = in.peek();
                in.advance();
            }
            out.append(ch);
        }
        return out.toString();
    }

    static String checkedPointer(DslScanner in, String pointer, int at) {
        String problem = JsonPointers.problem(pointer);
        if (problem == null && pointer.isEmpty()) {
            problem = "expected a pointer such as /price";
        }
        if (problem != null) {
            throw in.error(at, "bad pointer '" + DslScanner.shown(pointer) + "': " + problem);
        }
        return pointer;
    }

    /** The grammar of a condition (see the class comment). */
    private static final class ConditionParser {
        private final DslScanner in;

        ConditionParser(DslScanner in) {
            this.in = in;
        }

        Condition condition() {
            Condition c = or();
            in.skipWhitespace();
            if (!in.atEnd()) {
                int at = in.pos();
                throw in.error(at, "unexpected '" + DslScanner.shown(in.word()) + "' in the condition: expected and, or or the end");
            }
            return c;
        }

        private Condition or() {
            Condition left = and();
            while (connective("or", '|')) {
                left = new ProcessStatement.Or(left, and());
            }
            return left;
        }

        private Condition and() {
            Condition left = unary();
            while (connective("and", '&')) {
                left = new ProcessStatement.And(left, unary());
            }
            return left;
        }

        private boolean connective(String word, char symbol) {
            in.skipWhitespace();
            if (in.atEnd()) {
                return false;
            }
            if (in.peek() == symbol) {
                in.advance();
                return true;
            }
            int mark = in.pos();
            if (in.name().equalsIgnoreCase(word) && (in.atEnd() || in.atWhitespace() || in.peek() == '(')) {
                return true;
            }
            in.rewind(mark);
            return false;
        }

        private Condition unary() {
            in.skipWhitespace();
            int at = in.pos();
            if (in.atEnd()) {
                throw in.error(at, "expected a comparison such as /price > 20");
            }
            if (in.peek() == '(') {
                in.advance();
                Condition inner = or();
                in.skipWhitespace();
                if (in.atEnd() || in.peek() != ')') {
                    throw in.error(at, "unclosed '(' in the condition");
                }
                in.advance();
                return inner;
            }
            int mark = in.pos();
            if (in.name().equalsIgnoreCase("not") && (in.atEnd() || in.atWhitespace() || in.peek() == '(')) {
                return new ProcessStatement.Not(unary());
            }
            in.rewind(mark);
            if (in.peek() != '/') {
                throw in.error(at, "expected a pointer such as /price, found '" + DslScanner.shown(in.word()) + "'");
            }
            String pointer = checkedPointer(in, pointerToken(in, ProcessText.CONDITION_POINTER_ENDS), at);
            in.skipWhitespace();
            int opAt = in.pos();
            String op = operator();
            switch (op) {
                case "exists":
                    return new ProcessStatement.Exists(pointer);
                case "in":
                    return in(pointer);
                default:
                    break;
            }
            Comparator cmp = switch (op) {
                case "=", "eq" -> Comparator.EQ;
                case "!=", "ne" -> Comparator.NE;
                case ">", "gt" -> Comparator.GT;
                case "<", "lt" -> Comparator.LT;
                case ">=", "ge" -> Comparator.GE;
                case "<=", "le" -> Comparator.LE;
                default -> throw in.error(opAt, op.isEmpty()
                        ? "expected an operator after the pointer: = eq != ne > gt < lt >= ge <= le exists in"
                        : "unknown operator '" + DslScanner.shown(op) + "': expected = eq != ne > gt < lt >= ge <= le exists in");
            };
            in.skipWhitespace();
            int rightAt = in.pos();
            if (!in.atEnd() && in.peek() == '/') {
                String other = checkedPointer(in, pointerToken(in, ProcessText.CONDITION_POINTER_ENDS), rightAt);
                return new ProcessStatement.Compare(pointer, cmp, Optional.empty(), Optional.of(other));
            }
            return new ProcessStatement.Compare(pointer, cmp, Optional.of(constant()), Optional.empty());
        }

        private String operator() {
            if (in.atEnd()) {
                return "";
            }
            StringBuilder op = new StringBuilder();
            if ("=!<>".indexOf(in.peek()) >= 0) {
                while (!in.atEnd() && "=!<>".indexOf(in.peek()) >= 0) {
                    op.append(in.peek());
                    in.advance();
                }
                return op.toString();
            }
            return in.name().toLowerCase(Locale.ROOT);
        }

        private Condition in(String pointer) {
            in.skipWhitespace();
            int at = in.pos();
            if (in.atEnd() || in.peek() != '(') {
                throw in.error(at, "expected '(' and a list of constants after 'in'");
            }
            in.advance();
            List<JsonNode> constants = new ArrayList<>();
            while (true) {
                in.skipWhitespace();
                constants.add(constant());
                in.skipWhitespace();
                if (!in.atEnd() && in.peek() == ',') {
                    in.advance();
                    continue;
                }
                if (in.atEnd() || in.peek() != ')') {
                    throw in.error(in.atEnd() ? at : in.pos(), "expected ',' or ')' in the list of 'in'");
                }
                in.advance();
                return new ProcessStatement.In(pointer, constants);
            }
        }

        private JsonNode constant() {
            int at = in.pos();
            if (in.atEnd()) {
                throw in.error(at, "expected a constant (a number, a quoted string, true, false or null) or a pointer");
            }
            if (in.peek() == '\'' || in.peek() == '"') {
                return TextNode.valueOf(in.quoted());
            }
            StringBuilder token = new StringBuilder();
            while (!in.atEnd() && !in.atWhitespace() && "(),&|".indexOf(in.peek()) < 0) {
                token.append(in.peek());
                in.advance();
            }
            return literal(in, token.toString(), at).orElseThrow(() -> in.error(at, "bad constant '"
                    + DslScanner.shown(token.toString()) + "': expected a number, a quoted string, true, false, null or a pointer"));
        }
    }

    /** The grammar of a calculation (see the class comment). */
    private static final class CalcParser {
        private final DslScanner in;

        CalcParser(DslScanner in) {
            this.in = in;
        }

        Calc calculation() {
            Calc c = sum();
            in.skipWhitespace();
            if (!in.atEnd()) {
                int at = in.pos();
                throw in.error(at, "unexpected '" + DslScanner.shown(in.word()) + "' in the calculation: expected + - * / or the end");
            }
            return c;
        }

        private Calc sum() {
            Calc left = product();
            while (true) {
                in.skipWhitespace();
                if (in.atEnd() || (in.peek() != '+' && in.peek() != '-')) {
                    return left;
                }
                char op = in.peek();
                in.advance();
                left = new ProcessStatement.Arithmetic(op, left, product());
            }
        }

        private Calc product() {
            Calc left = factor();
            while (true) {
                in.skipWhitespace();
                if (in.atEnd() || (in.peek() != '*' && in.peek() != '/')) {
                    return left;
                }
                char op = in.peek();
                in.advance();
                left = new ProcessStatement.Arithmetic(op, left, factor());
            }
        }

        private Calc factor() {
            in.skipWhitespace();
            int at = in.pos();
            if (in.atEnd()) {
                throw in.error(at, "expected a number, a pointer or '('");
            }
            char c = in.peek();
            if (c == '(') {
                in.advance();
                Calc inner = sum();
                in.skipWhitespace();
                if (in.atEnd() || in.peek() != ')') {
                    throw in.error(at, "unclosed '(' in the calculation");
                }
                in.advance();
                return inner;
            }
            if (c == '-') {
                in.advance();
                if (!in.atEnd() && (Character.isDigit(in.peek()) || in.peek() == '.')) {
                    Calc n = number(at);
                    return new ProcessStatement.Number(((ProcessStatement.Number) n).value().negate());
                }
                return new ProcessStatement.Negate(factor());
            }
            if (c == '/') {
                // a pointer here: '/' is division only after an operand
                return new ProcessStatement.Field(checkedPointer(in, pointerToken(in, ProcessText.CALC_POINTER_ENDS), at));
            }
            if (Character.isDigit(c) || c == '.') {
                return number(at);
            }
            throw in.error(at, "expected a number, a pointer or '(', found '" + DslScanner.shown(in.word()) + "'");
        }

        private Calc number(int at) {
            int start = in.pos();
            StringBuilder token = new StringBuilder();
            while (!in.atEnd() && (Character.isLetterOrDigit(in.peek()) || in.peek() == '.'
                    || ((in.peek() == '-' || in.peek() == '+') && token.length() > 0
                        && Character.toLowerCase(token.charAt(token.length() - 1)) == 'e'))) {
                token.append(in.peek());
                in.advance();
            }
            Optional<JsonNode> n = literal(in, token.toString(), start);
            if (n.isEmpty() || !n.get().isNumber()) {
                throw in.error(at, "bad number '" + DslScanner.shown(token.toString()) + "'");
            }
            return new ProcessStatement.Number(n.get().decimalValue());
        }
    }
}
