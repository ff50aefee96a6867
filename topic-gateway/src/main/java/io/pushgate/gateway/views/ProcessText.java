package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.views.ProcessStatement.And;
import io.pushgate.gateway.views.ProcessStatement.Arithmetic;
import io.pushgate.gateway.views.ProcessStatement.Calc;
import io.pushgate.gateway.views.ProcessStatement.Compare;
import io.pushgate.gateway.views.ProcessStatement.Condition;
import io.pushgate.gateway.views.ProcessStatement.Continue;
import io.pushgate.gateway.views.ProcessStatement.Exists;
import io.pushgate.gateway.views.ProcessStatement.Field;
import io.pushgate.gateway.views.ProcessStatement.In;
import io.pushgate.gateway.views.ProcessStatement.Negate;
import io.pushgate.gateway.views.ProcessStatement.Not;
import io.pushgate.gateway.views.ProcessStatement.Number;
import io.pushgate.gateway.views.ProcessStatement.Operation;
import io.pushgate.gateway.views.ProcessStatement.Or;
import io.pushgate.gateway.views.ProcessStatement.Remove;
import io.pushgate.gateway.views.ProcessStatement.Set;
import io.pushgate.protocol.Json;
import java.util.stream.Collectors;

/**
 * The canonical text of process statements: what {@link ProcessParser} reads back to an equal
 * statement. Brackets are written wherever a reader could doubt the precedence.
 */
final class ProcessText {

    /** Characters that end a pointer inside a condition, escaped when a member name holds them. */
    static final String CONDITION_POINTER_ENDS = "()=!<>&|,\\";
    /** Characters that end a pointer inside a calculation. */
    static final String CALC_POINTER_ENDS = "()+*\\";

    private ProcessText() {
    }

    static String operation(Operation op) {
        if (op instanceof Set s) {
            String value = s.constant().isPresent() ? ProcessStatement.constant(s.constant().get())
                    : "calc " + Transformation.quote(calc(s.calc().get()));
            return "set(" + JsonPointers.toDsl(s.pointer()) + ", " + value + ")";
        }
        if (op instanceof Remove r) {
            return "remove(" + JsonPointers.toDsl(r.pointer()) + ")";
        }
        if (op instanceof Continue) {
            return "continue";
        }
        throw new IllegalStateException("unknown operation " + op);
    }

    static String condition(Condition c) {
        if (c instanceof And a) {
            return operand(a.left()) + " and " + operand(a.right());
        }
        if (c instanceof Or o) {
            return operand(o.left()) + " or " + operand(o.right());
        }
        if (c instanceof Not n) {
            return "not (" + condition(n.condition()) + ")";
        }
        if (c instanceof Exists e) {
            return pointer(e.pointer(), CONDITION_POINTER_ENDS) + " exists";
        }
        if (c instanceof In in) {
            return pointer(in.pointer(), CONDITION_POINTER_ENDS) + " in ("
                    + in.constants().stream().map(ProcessText::conditionConstant).collect(Collectors.joining(", ")) + ")";
        }
        Compare cmp = (Compare) c;
        String right = cmp.constant().isPresent() ? conditionConstant(cmp.constant().get())
                : pointer(cmp.otherPointer().get(), CONDITION_POINTER_ENDS);
        return pointer(cmp.pointer(), CONDITION_POINTER_ENDS) + " " + cmp.op().symbol + " " + right;
    }

    private static String operand(Condition c) {
        return c instanceof And || c instanceof Or ? "(" + condition(c) + ")" : condition(c);
    }

    /** Strings in a condition are double-quoted, since the condition itself is written in single quotes. */
    private static String conditionConstant(JsonNode c) {
        return c.isTextual() ? '"' + c.textValue().replace("\\", "\\\\").replace("\"", "\\\"") + '"' : Json.write(c);
    }

    static String calc(Calc c) {
        if (c instanceof Number n) {
            return n.value().stripTrailingZeros().toPlainString();
        }
        if (c instanceof Field f) {
            return pointer(f.pointer(), CALC_POINTER_ENDS);
        }
        if (c instanceof Negate n) {
            return "-(" + calc(n.operand()) + ")";
        }
        Arithmetic a = (Arithmetic) c;
        return calcOperand(a.left()) + " " + a.op() + " " + calcOperand(a.right());
    }

    private static String calcOperand(Calc c) {
        return c instanceof Arithmetic ? "(" + calc(c) + ")" : calc(c);
    }

    /** A pointer in a condition or a calculation: white space and the characters that would end it are escaped. */
    static String pointer(String pointer, String ends) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pointer.length(); i++) {
            char ch = pointer.charAt(i);
            if (Character.isWhitespace(ch) || ends.indexOf(ch) >= 0) {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }
}
