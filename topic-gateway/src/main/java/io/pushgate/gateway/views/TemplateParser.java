package io.pushgate.gateway.views;

import io.pushgate.protocol.TopicPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Reads a path template, which runs to the first whitespace outside a directive (Diffusion
 * writes {@code <path(1, 2)>} with a space). Everything a template can get wrong without
 * seeing a source is refused here, at the offending character, so that a view that could
 * never produce a valid topic path is not accepted.
 */
final class TemplateParser {

    private final DslScanner in;
    private final List<PathTemplate.Part> parts = new ArrayList<>();
    private final StringBuilder literal = new StringBuilder();
    private int literalLength;

    TemplateParser(DslScanner in) {
        this.in = in;
    }

    PathTemplate template() {
        int start = in.pos();
        int lastSlash = -1;
        boolean segmentHasContent = false;
        while (!in.atEnd() && !in.atWhitespace()) {
            char c = in.peek();
            int at = in.pos();
            if (c == '<') {
                flushLiteral();
                parts.add(directive());
                segmentHasContent = true;
                continue;
            }
            if (c == '/') {
                if (at == start) {
                    throw in.error(at, "bad path template: a topic path must not start with '/'");
                }
                if (!segmentHasContent) {
                    throw in.error(at, "bad path template: empty segment ('//')");
                }
                lastSlash = at;
                segmentHasContent = false;
            } else if (TopicPath.isSegmentChar(c)) {
                segmentHasContent = true;
            } else {
                throw in.error(at, "bad path template: the character '" + c
                        + "' is not allowed (segments are made of A-Z a-z 0-9 _ . -)");
            }
            literal.append(c);
            literalLength++;
            in.advance();
        }
        if (in.pos() == start) {
            throw in.error(start, "missing path template");
        }
        if (!segmentHasContent) {
            throw in.error(lastSlash, "bad path template: a topic path must not end with '/'");
        }
        if (literalLength > TopicPath.MAX_LENGTH) {
            throw in.error(start, "bad path template: longer than " + TopicPath.MAX_LENGTH + " characters");
        }
        flushLiteral();
        return PathTemplate.of(parts);
    }

    private void flushLiteral() {
        if (literal.length() > 0) {
            parts.add(new PathTemplate.Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    private PathTemplate.Part directive() {
        int start = in.pos();
        in.advance(); // '<'
        int nameAt = in.pos();
        String name = in.name();
        PathTemplate.Part part;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "path" -> {
                expect('(', "'(' after 'path'");
                part = pathArguments();
            }
            case "scalar" -> {
                expect('(', "'(' after 'scalar'");
                part = new PathTemplate.Scalar(ViewParser.pointer(in, start));
            }
            case "value" -> throw in.error(start,
                    "<value(...)> belongs in an 'as' clause, not in a path template");
            case "expand" -> throw in.error(start, "unsupported directive 'expand': expected path or scalar");
            case "" -> throw in.error(nameAt, "expected <path(n)>, <path(n, count)> or <scalar(/pointer)>");
            default -> throw in.error(nameAt, "unknown directive '" + DslScanner.shown(name)
                    + "': expected <path(n)>, <path(n, count)> or <scalar(/pointer)>");
        }
        expect(')', "')'");
        expect('>', "'>'");
        return part;
    }

    private PathTemplate.SourcePath pathArguments() {
        int start = number(0, "a path index (an integer from 0)");
        in.skipWhitespace();
        if (!in.atEnd() && in.peek() == ',') {
            in.advance();
            int count = number(1, "a count (a positive integer)");
            in.skipWhitespace();
            return new PathTemplate.SourcePath(start, OptionalInt.of(count));
        }
        return new PathTemplate.SourcePath(start, OptionalInt.empty());
    }

    /** An integer argument, whitespace around it allowed. */
    private int number(int min, String what) {
        in.skipWhitespace();
        int at = in.pos();
        StringBuilder token = new StringBuilder();
        while (!in.atEnd() && !in.atWhitespace() && ",)>".indexOf(in.peek()) < 0) {
            token.append(in.peek());
            in.advance();
        }
        if (token.length() == 0) {
            throw in.error(at, "expected " + what);
        }
        return ViewParser.integer(in, token.toString(), at, min, what);
    }

    private void expect(char c, String what) {
        if (in.atEnd() || in.peek() != c) {
            throw in.error(in.pos(), "expected " + what);
        }
        in.advance();
    }
}
