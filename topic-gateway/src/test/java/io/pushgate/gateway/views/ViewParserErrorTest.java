package io.pushgate.gateway.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error, with the exact message: the position of the offending token and the reason. */
class ViewParserErrorTest {

    private static final String UNITS = "expected milliseconds, seconds, minutes or hours";
    private static final String CLAUSES = "expected patch, process, insert, with properties, as, throttle, delay, type, separator,"
            + " preserve topics or live inserts";
    private static final String DIRECTIVES = "expected <path(n)>, <path(n, count)>, <scalar(/pointer)> or <expand(/pointer, /name)>";
    private static final String TYPES = "expected JSON, STRING, INT64, DOUBLE or BINARY";

    static Stream<Arguments> errors() {
        return Stream.of(
                // the text and its head
                error("", "line 1, column 1: empty text"),
                error(" \n\t ", "line 1, column 1: empty text"),
                error("mapp ?a to b", "line 1, column 1: expected 'map'"),
                error("  view ?a to b", "line 1, column 3: expected 'map'"),
                error("map", "line 1, column 4: missing selector"),
                error("map to views/x", "line 1, column 5: missing selector"),
                error("map \"\" to x", "line 1, column 5: missing selector"),
                error("map \"?a b to x", "line 1, column 5: unterminated quote"),
                error("map \"?a b\"x to y", "line 1, column 11: unexpected text 'x' after the closing quote of the selector"),
                error("map ?prices// views/<path(1)>", "line 1, column 15: expected 'to'"),
                error("map ?a//", "line 1, column 9: expected 'to'"),
                // path templates
                error("map ?a// to", "line 1, column 12: missing path template"),
                error("map ?a// to /views/x", "line 1, column 13: bad path template: a topic path must not start with '/'"),
                error("map ?a// to views//x", "line 1, column 19: bad path template: empty segment ('//')"),
                error("map ?a// to views/", "line 1, column 18: bad path template: a topic path must not end with '/'"),
                error("map ?a// to views/$x", "line 1, column 19: bad path template: the character '$' is not allowed"
                        + " (segments are made of A-Z a-z 0-9 _ . -)"),
                error("map ?a// to views/<path(1)>>", "line 1, column 28: bad path template: the character '>' is not allowed"
                        + " (segments are made of A-Z a-z 0-9 _ . -)"),
                error("map ?a to " + "a".repeat(1025), "line 1, column 11: bad path template: longer than 1024 characters"),
                error("map ?a// to views/<foo(1)>", "line 1, column 20: unknown directive 'foo': " + DIRECTIVES),
                error("map ?a// to views/<>", "line 1, column 20: " + DIRECTIVES),
                error("map ?a// to views/<expand(x)>", "line 1, column 27: bad pointer 'x': a JSON pointer is empty or starts with '/'"),
                error("map ?a// to views/<value(/x)>", "line 1, column 19: <value(...)> belongs in an 'as' clause, not in a path template"),
                error("map ?a// to views/<PATH (1)>", "line 1, column 24: expected '(' after 'path'"),
                error("map ?a// to views/<path(x)>", "line 1, column 25: bad number 'x': expected a path index (an integer from 0)"),
                error("map ?a// to views/<path()>", "line 1, column 25: expected a path index (an integer from 0)"),
                error("map ?a// to views/<path(1, 0)>", "line 1, column 28: bad number '0': expected a count (a positive integer)"),
                error("map ?a// to views/<path(1>", "line 1, column 26: expected ')'"),
                error("map ?a// to views/<path(1,2,3)>", "line 1, column 28: expected ')'"),
                error("map ?a// to views/<path(1)", "line 1, column 27: expected '>'"),
                error("map ?a// to views/<scalar(room)>", "line 1, column 27: bad pointer 'room': a JSON pointer is empty or starts with '/'"),
                error("map ?a// to views/<scalar(/a~2)>", "line 1, column 27: bad pointer '/a~2': '~' must be followed by 0 or 1 (~0 is '~', ~1 is '/')"),
                error("map ?a// to views/<scalar(/a", "line 1, column 19: unterminated directive: expected ')'"),
                // clauses
                error("map ?a// to x foo", "line 1, column 15: unknown clause 'foo': " + CLAUSES),
                error("map ?a// to x insert y at", "line 1, column 26: expected a JSON pointer after 'at', such as /name or /-"),
                error("map ?a// to x type JSON type STRING", "line 1, column 25: duplicated clause 'type'"),
                error("map ?a to x\nmap ?b to y", "line 2, column 1: text after the end of the view: a view has one 'map'"),
                error("map ?a// to x as value(/a)", "line 1, column 18: expected <value(/pointer)> after 'as'"),
                error("map ?a// to x as", "line 1, column 17: expected <value(/pointer)> after 'as'"),
                error("map ?a// to x as <value(a)>", "line 1, column 25: bad pointer 'a': a JSON pointer is empty or starts with '/'"),
                error("map ?a// to x as <value(/a)", "line 1, column 28: expected '>'"),
                error("map ?a// to x as <value(/a)>x", "line 1, column 29: unexpected text 'x' after <value(...)>"),
                error("map ?a// to x throttle 1 update every second", "line 1, column 24: expected 'to'"),
                error("map ?a// to x throttle to", "line 1, column 26: expected a number of updates"),
                error("map ?a// to x throttle to 0 updates every second", "line 1, column 27: bad number '0': expected a positive integer"),
                error("map ?a// to x throttle to 1.5 updates every second", "line 1, column 27: bad number '1.5': expected a positive integer"),
                error("map ?a// to x throttle to 99999999999 updates every second", "line 1, column 27: bad number '99999999999': at most 2147483647"),
                error("map ?a// to x throttle to 2 times every second", "line 1, column 29: expected 'update' or 'updates'"),
                error("map ?a// to x throttle to 2 updates per second", "line 1, column 37: expected 'every'"),
                error("map ?a// to x throttle to 2 updates every 5 fortnights", "line 1, column 45: unknown unit 'fortnights': " + UNITS),
                error("map ?a// to x throttle to 2 updates every seconds", "line 1, column 43: expected a number before 'seconds'"),
                error("map ?a// to x throttle to 2 updates every", "line 1, column 42: expected a duration such as '5 seconds'"),
                error("map ?a// to x throttle to 2 updates every 0 seconds", "line 1, column 43: bad number '0': expected a positive integer"),
                error("map ?a// to x delay 5 seconds", "line 1, column 21: expected 'by'"),
                error("map ?a// to x delay by 5", "line 1, column 25: expected a unit: milliseconds, seconds, minutes or hours"),
                error("map ?a// to x delay by five seconds", "line 1, column 24: expected a duration such as '5 seconds', found 'five'"),
                error("map ?a// to x delay by 5seconds", "line 1, column 24: bad number '5seconds': expected a positive integer"),
                error("map ?a// to x type TEXT", "line 1, column 20: unknown type 'TEXT': " + TYPES),
                error("map ?a// to x type time_series", "line 1, column 20: unsupported type 'time_series' for a reference topic: " + TYPES),
                error("map ?a// to x type", "line 1, column 19: expected a topic type: JSON, STRING, INT64, DOUBLE or BINARY"),
                error("map ?a// to x separator _", "line 1, column 25: expected a quoted separator such as '_'"),
                error("map ?a// to x separator '%'", "line 1, column 25: bad separator '%': the character '%' is not allowed (A-Z a-z 0-9 _ . - and / are)"),
                error("map ?a// to x separator 'a//b'", "line 1, column 25: bad separator 'a//b': an empty path segment ('//') is not allowed"),
                error("map ?a// to x separator '_", "line 1, column 25: unterminated quote"),
                error("map ?a// to x separator '_'x", "line 1, column 28: unexpected text 'x' after the separator"),
                // transformations: patch
                error("map ?a// to x patch '[1]'", "line 1, column 21: bad patch: operation 0 is not an object"),
                error("map ?a// to x patch [1]", "line 1, column 21: expected a quoted JSON patch after 'patch',"
                        + " such as '[{\"op\": \"remove\", \"path\": \"/x\"}]'"),
                error("map ?a// to x patch '{'", "line 1, column 21: bad patch: not JSON"),
                error("map ?a// to x patch '{}'", "line 1, column 21: bad patch: an RFC 6902 patch is an array of operations"),
                error("map ?a// to x patch '[{\"op\":\"jump\",\"path\":\"/a\"}]'",
                        "line 1, column 21: bad patch: operation 0 has no op add, remove, replace, move, copy or test"),
                error("map ?a// to x patch '[{\"op\":\"move\",\"path\":\"/a\"}]'", "line 1, column 21: bad patch: operation 0 (move) has no valid 'from'"),
                // process
                error("map ?a// to x process set(/a, 1)", "line 1, column 23: expected '{' after 'process'"),
                error("map ?a// to x process {set(/a, 1)", "line 1, column 23: unterminated process: expected '}'"),
                error("map ?a// to x process {jump(/a)}", "line 1, column 24: unknown operation 'jump': expected set, remove or continue"),
                error("map ?a// to x process {set(a, 1)}", "line 1, column 28: bad pointer 'a': a JSON pointer is empty or starts with '/'"),
                error("map ?a// to x process {set(/a 1)}", "line 1, column 32: expected ',' and a value after the pointer of set"),
                error("map ?a// to x process {set(/a, maybe)}",
                        "line 1, column 32: bad value 'maybe': expected a number, a quoted string, true, false or calc '...'"),
                error("map ?a// to x process {if /a = 1 continue}", "line 1, column 27: expected a quoted condition such as '/price > 20'"),
                error("map ?a// to x process {if '/a ~ 1' continue}",
                        "line 1, column 31: expected an operator after the pointer: = eq != ne > gt < lt >= ge <= le exists in"),
                error("map ?a// to x process {if '/a = 1 xor /b = 2' continue}",
                        "line 1, column 35: unexpected 'xor' in the condition: expected and, or or the end"),
                error("map ?a// to x process {if '(/a = 1' continue}", "line 1, column 28: unclosed '(' in the condition"),
                error("map ?a// to x process {set(/a, calc '/b * ')}", "line 1, column 43: expected a number, a pointer or '('"),
                error("map ?a// to x process {if '/a = 1' continue else}",
                        "line 1, column 49: expected an operation: set(/pointer, value), remove(/pointer) or continue"),
                error("map ?a// to x process {continue remove(/a)}", "line 1, column 33: expected ';', elseif, else or '}', found 'remove(/a)}'"),
                error("map ?a// to x\n  process {\n    if '/a >= 1 and\n/b' continue}",
                        "line 4, column 3: expected an operator after the pointer: = eq != ne > gt < lt >= ge <= le exists in"),
                // insert
                error("map ?a// to x insert", "line 1, column 21: expected the path of the topic to insert after 'insert'"),
                error("map ?a// to x insert y/<expand()> at /z", "line 1, column 24: <expand(...)> is not allowed in the path of an insert"),
                error("map ?a// to x insert y /z", "line 1, column 24: expected 'at' (or 'key') after the path of the insert"),
                error("map ?a// to x insert y at z", "line 1, column 27: bad pointer 'z': a JSON pointer is empty or starts with '/'"),
                error("map ?a// to x insert y at /z default", "line 1, column 37: expected a value after 'default'"),
                // the order of clauses
                error("map ?a// to x insert y at /z patch '[]'",
                        "line 1, column 30: 'patch' after an insert: every insert comes after the other transformations"),
                error("map ?a// to x type JSON process {continue}",
                        "line 1, column 25: 'process' after an option: transformations (patch, process, insert) come before the options"),
                error("map ?a// to x preserve topics preserve topics", "line 1, column 31: duplicated clause 'preserve'"),
                error("map ?a// to x with properties CONFLATION:off with properties CONFLATION:off", "line 1, column 46: duplicated clause 'with'"),
                error("map ?a// to x preserve", "line 1, column 23: expected 'topics'"),
                error("map ?a// to x live inserts", "line 1, column 15: 'live inserts' without an insert: there is no inserted topic to watch"),
                error("map ?a// to x insert y at /z live", "line 1, column 34: expected 'inserts'"),
                // with properties
                error("map ?a// to x with COMPRESSION:off", "line 1, column 20: expected 'properties'"),
                error("map ?a// to x with properties COMPRESSION:false", "line 1, column 31: Pushgate has no topic property COMPRESSION (settable are CONFLATION, DONT_RETAIN_VALUE, PUBLISH_VALUES_ONLY, TIME_SERIES_RETAINED_RANGE, TIME_SERIES_SUBSCRIPTION_RANGE)"),
                error("map ?a// to x with properties OWNER:me", "line 1, column 31: the property OWNER cannot be set on a reference topic"),
                error("map ?a// to x with properties 'VALIDATE_VALUES':'true'", "line 1, column 31: the property VALIDATE_VALUES cannot be set on a reference topic"),
                error("map ?a// to x with properties COLOUR:red", "line 1, column 31: unknown topic property 'COLOUR' (settable are CONFLATION, DONT_RETAIN_VALUE, PUBLISH_VALUES_ONLY, TIME_SERIES_RETAINED_RANGE, TIME_SERIES_SUBSCRIPTION_RANGE)"),
                error("map ?a// to x with properties CONFLATION:sometimes",
                        "line 1, column 42: bad value 'sometimes' for CONFLATION: expected off, conflate or unsubscribe"),
                error("map ?a// to x with properties CONFLATION off", "line 1, column 42: expected ':' and a value after the property CONFLATION"),
                error("map ?a// to x with properties CONFLATION:off, CONFLATION:conflate", "line 1, column 47: duplicated property CONFLATION"),
                error("map ?a// to x with properties", "line 1, column 30: expected a property such as CONFLATION:off after 'with properties'"),
                // from
                error("map ?a// from to x", "line 1, column 15: expected the name of a remote server after 'from'"),
                error("map ?a// to x from s", "line 1, column 15: 'from' belongs between the selector and 'to'"),
                error("map ?a// from 'x to y", "line 1, column 15: unterminated quote"),
                // escapes, quotes and expand in templates
                error("map ?a// to views/a\\/b", "line 1, column 20: bad path template: '\\/' cannot be used, the path separator '/' is always significant"),
                error("map ?a// to \"views/a b\"", "line 1, column 21: bad path template: white space is not allowed in a topic path"),
                error("map ?a// to b/<expand(/x,)>", "line 1, column 26: bad pointer '': the name pointer of an expand points into each child, it cannot be empty"),
                error("map ?a// to b/<expand(/x", "line 1, column 15: unterminated directive: expected ')'"),
                // over several lines
                error("map ?prices//\n  to views/<path(1)>/usd\n  as <value(/bpi/USD/rate_float)>\n  throttle to 1 update every 5 fortnights",
                        "line 4, column 32: unknown unit 'fortnights': " + UNITS),
                error("map ?a//\r\nto views/<scalar(/x~)>", "line 2, column 18: bad pointer '/x~': '~' must be followed by 0 or 1 (~0 is '~', ~1 is '/')"),
                error("map ?a//\n\tto\tb\n\tthrottle to 1 update every second\n\tthrottle to 2 updates every second",
                        "line 4, column 2: duplicated clause 'throttle'"),
                error("map ?a//\rto b\r\rtype\rNUMBER", "line 5, column 1: unknown type 'NUMBER': " + TYPES),
                error("map ?sensors/\n  to rooms/<scalar(/room)>/<path(x)>", "line 2, column 34: bad number 'x': expected a path index (an integer from 0)"),
                error("map \"a\nb\nc to d", "line 1, column 5: unterminated quote"),
                // what is echoed back is shortened
                error("map ?a// to x " + "z".repeat(100), "line 1, column 15: unknown clause '" + "z".repeat(37) + "...': " + CLAUSES));
    }

    private static Arguments error(String text, String message) {
        return Arguments.of(text, message);
    }

    @ParameterizedTest
    @MethodSource("errors")
    void isRefusedWithPositionAndReason(String text, String message) {
        assertThatThrownBy(() -> ViewParser.parse(text))
                .isInstanceOf(ViewSyntaxException.class)
                .hasMessage(message);
    }

    @Test
    void thereAreEnoughErrorCases() {
        assertThat(errors().count()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void anErrorIsAnInvalidProtocolErrorWithItsParts() {
        ViewSyntaxException e = catchThrowableOfType(ViewSyntaxException.class,
                () -> ViewParser.parse("map ?a//\n  to b\n  as <value(x)>"));

        assertThat(e).isInstanceOf(ProtocolException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(13);
        assertThat(e.reason()).isEqualTo("bad pointer 'x': a JSON pointer is empty or starts with '/'");
        assertThat(e.getMessage()).isEqualTo("line 3, column 13: " + e.reason());
    }

    @Test
    void nullIsEmptyText() {
        assertThatThrownBy(() -> ViewParser.parse(null)).hasMessage("line 1, column 1: empty text");
    }
}
