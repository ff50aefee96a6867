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
    private final boolean expandAllowed;
    private final List<PathTemplate.Part> parts = new ArrayList<>();
    private final StringBuilder literal = new StringBuilder();
    private int literalLength;

    /** A parser of the {@code to} template, where {@code <expand>} is allowed. */
    TemplateParser(DslScanner in) {
        this(in, true);
    }

    /** @param expandAllowed false for the path of an {@code insert}, which Diffusion gives no {@code <expand>} */
    TemplateParser(DslScanner in, boolean expandAllowed) {
        this.in = in;
        this.expandAllowed = expandAllowed;
    }

    /**
     * A template that may be quoted ({@code "a b"} or {@code 'a b'}, Diffusion's way of putting
     * white space in a clause): the quoted text is parsed as a whole, errors pointing into it.
     */
    static PathTemplate quotedOrPlain(DslScanner in, boolean expandAllowed, String what) {
        if (!in.atEnd() && (in.peek() == '"' || in.peek() == '\'')) {
            int at = in.pos();
            String quoted = in.quoted();
            in.endOfToken("the closing quote of the " + what);
            DslScanner inner = new DslScanner(quoted, in.text(), at + 1);
            PathTemplate template = new TemplateParser(inner, expandAllowed).template();
            if (!inner.atEnd()) {
                throw inner.error(inner.pos(), "bad path template: white space is not allowed in a topic path");
            }
            return template;
        }
        return new TemplateParser(in, expandAllowed).template();
    }

    PathTemplate template() {
        int start = in.pos();
        int lastSlash = -1;
        boolean segmentHasContent = false;
        while (!in.atEnd() && !in.atWhitespace()) {
            char c = in.peek();
            int at = in.pos();
            if (c == '\\') {
                // Diffusion's \x: the character x, literally; it must still be one a topic path allows
                in.advance();
                if (in.atEnd()) {
                    throw in.error(at, "bad path template: '\\' at the end");
                }
                c = in.peek();
                if (c == '/') {
                    throw in.error(at, "bad path template: '\\/' cannot be used, the path separator '/' is always significant");
                }
                if (!TopicPath.isSegmentChar(c)) {
                    throw in.error(at, "bad path template: the character '" + c
                            + "' is not allowed (segments are made of A-Z a-z 0-9 _ . -)");
                }
                segmentHasContent = true;
                literal.append(c);
                literalLength++;
                in.advance();
                continue;
            }
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
            case "expand" -> {
                if (!expandAllowed) {
                    throw in.error(start, "<expand(...)> is not allowed in the path of an insert");
                }
                expect('(', "'(' after 'expand'");
                part = expandArguments(start);
            }
            case "" -> throw in.error(nameAt, expected());
            default -> throw in.error(nameAt, "unknown directive '" + DslScanner.shown(name) + "': " + expected());
        }
        expect(')', "')'");
        expect('>', "'>'");
        return part;
    }

    private String expected() {
        return expandAllowed ? "expected <path(n)>, <path(n, count)>, <scalar(/pointer)> or <expand(/pointer, /name)>"
                : "expected <path(n)>, <path(n, count)> or <scalar(/pointer)>";
    }

    /** {@code /pointer} or nothing (the root), then optionally {@code , /namePointer}; the ')' is left unread. */
    private PathTemplate.Expand expandArguments(int start) {
        // white space before a pointer cannot belong to it (a pointer starts with '/'): Diffusion's guides write <expand(/a, /id)>
        in.skipWhitespace();
        int at = in.pos();
        String pointer = in.pointerArgument(start, ",)");
        String problem = JsonPointers.problem(pointer);
        if (problem != null) {
            throw in.error(at, "bad pointer '" + DslScanner.shown(pointer) + "': " + problem);
        }
        java.util.Optional<String> name = java.util.Optional.empty();
        if (!in.atEnd() && in.peek() == ',') {
            in.advance();
            in.skipWhitespace();
            int nameAt = in.pos();
            String namePointer = in.pointerArgument(start, ",)");
            problem = JsonPointers.problem(namePointer);
            if (problem != null || namePointer.isEmpty()) {
                throw in.error(nameAt, "bad pointer '" + DslScanner.shown(namePointer) + "': "
                        + (problem != null ? problem : "the name pointer of an expand points into each child, it cannot be empty"));
            }
            name = java.util.Optional.of(namePointer);
        }
        return new PathTemplate.Expand(pointer, name);
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
