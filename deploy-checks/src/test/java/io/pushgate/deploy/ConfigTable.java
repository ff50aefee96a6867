package io.pushgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration table of a module's README: the rows of every Markdown table in its
 * {@code ## Configuration} section (down to the next {@code ## } heading) whose first cell names
 * properties, each with the default its {@code default} column gives.
 *
 * <p>A first cell may name several properties: {@code `a.b.x`, `.y`} is {@code a.b.x} and
 * {@code a.b.y} (a name starting with a dot replaces the last segment of the one before it).
 * Placeholders ({@code <name>}, {@code "<name>"}) are written {@code *}, as the scanner of
 * configuration interfaces writes map keys. Rows are read as GitHub renders them: a table is a
 * header row and a delimiter row, so rows after a blank line without a header of their own are
 * not a table, and are not read.
 */
record ConfigTable(Map<String, Optional<String>> defaults) {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("\"?<[^>]+>\"?");
    private static final Pattern PROPERTY = Pattern.compile("[a-z][a-z0-9-]*(\\.([a-z0-9*\\[\\]-]+|\"[^\"]+\"))+|\\.[a-z][a-z0-9-]*");

    static ConfigTable read(Path readme) {
        try {
            return parse(Files.readString(readme));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConfigTable parse(String markdown) {
        Map<String, Optional<String>> defaults = new LinkedHashMap<>();
        String[] lines = markdown.split("\n", -1);
        boolean inSection = false;
        boolean inTable = false;
        int defaultColumn = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (lines[i].startsWith("## ")) {
                inSection = lines[i].substring(3).trim().toLowerCase(Locale.ROOT).startsWith("configuration");
                inTable = false;
                continue;
            }
            if (!inSection || !line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (!inTable) {
                // a table is a header row followed by a delimiter row; rows without them are not one
                if (i + 1 < lines.length && isDelimiter(lines[i + 1].trim())) {
                    inTable = true;
                    defaultColumn = -1;
                    List<String> header = cells(line);
                    for (int c = 0; c < header.size(); c++) {
                        if (header.get(c).toLowerCase(Locale.ROOT).startsWith("default")) {
                            defaultColumn = c;
                        }
                    }
                    i++;
                }
                continue;
            }
            List<String> cells = cells(line);
            if (cells.isEmpty()) {
                continue;
            }
            Optional<String> value = defaultColumn >= 0 && defaultColumn < cells.size()
                    ? firstCode(cells.get(defaultColumn)) : Optional.empty();
            for (String property : properties(cells.get(0))) {
                defaults.put(property, value);
            }
        }
        return new ConfigTable(defaults);
    }

    private static boolean isDelimiter(String line) {
        return line.startsWith("|") && line.matches("\\|(\\s*:?-+:?\\s*\\|)+\\s*");
    }

    /** The properties a first cell names, placeholders as {@code *}. */
    static List<String> properties(String cell) {
        List<String> out = new ArrayList<>();
        String previous = null;
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            String text = code.group(1).trim();
            // "`quarkus.http.port` (`QUARKUS_HTTP_PORT`)": only the property
            String name = PLACEHOLDER.matcher(text).replaceAll("*");
            if (!PROPERTY.matcher(name).matches()) {
                continue;
            }
            if (name.startsWith(".")) {
                if (previous == null) {
                    continue;
                }
                name = previous.substring(0, previous.lastIndexOf('.')) + name;
            }
            out.add(name);
            previous = name;
        }
        return out;
    }

    /** The first code span of a default cell, when the cell starts with it ({@code `10s` (...)}); else none. */
    private static Optional<String> firstCode(String cell) {
        Matcher code = CODE.matcher(cell);
        return cell.startsWith("`") && code.find() ? Optional.of(code.group(1)) : Optional.empty();
    }

    /**
     * The cells of a table row, without the outer pipes; a pipe escaped as {@code \|} stays in its cell
     * (as GitHub reads tables: an unescaped pipe ends a cell, even inside a code span).
     */
    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }
}
