package io.pushgate.backend.moderation;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds configured words in a text and replaces each with as many asterisks as it has characters
 * (code points), leaving everything around it (punctuation, spaces, other words) as it was.
 *
 * <ul>
 * <li><b>Whole words:</b> a match may not touch a letter, combining mark, digit or {@code _} on either
 * side, so {@code heck} matches in {@code "Heck!"} and {@code "(heck)"} but not in {@code "hecking"}
 * or {@code "checker"}.</li>
 * <li><b>Case-insensitive, Unicode-aware:</b> {@code DARN}, {@code Darn} and {@code darn} match
 * {@code darn}; {@code ÄRGER} matches {@code ärger} (simple case folding, as Java's
 * {@code UNICODE_CASE}: one character to one character).</li>
 * <li><b>Canonical forms:</b> texts and words are compared in Unicode NFC, so an accented letter
 * typed as a letter plus a combining accent matches the precomposed one. A text that gets bleeped is
 * returned in NFC (it looks the same).</li>
 * <li>Words may contain spaces ({@code "bad word"}); a longer word wins over a shorter one that
 * starts the same way.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class WordFilter {

    private static final String WORD_CHAR = "[\\p{L}\\p{M}\\p{N}_]";

    /** The outcome for one text: the text to publish, and the words found (as configured, in order, once each). */
    public record Result(String text, List<String> words) {
        public boolean bleeped() {
            return !words.isEmpty();
        }
    }

    private final Pattern pattern;
    private final Map<String, String> configuredByFolded = new LinkedHashMap<>();

    public WordFilter(Collection<String> words) {
        List<String> cleaned = new ArrayList<>();
        for (String w : words) {
            String n = w == null ? "" : Normalizer.normalize(w.strip(), Normalizer.Form.NFC);
            if (!n.isEmpty() && configuredByFolded.putIfAbsent(fold(n), n) == null) {
                cleaned.add(n);
            }
        }
        if (cleaned.isEmpty()) {
            pattern = null;
            return;
        }
        cleaned.sort(Comparator.comparingInt(String::length).reversed());
        String alternatives = cleaned.stream().map(Pattern::quote).collect(Collectors.joining("|"));
        pattern = Pattern.compile("(?<!" + WORD_CHAR + ")(?:" + alternatives + ")(?!" + WORD_CHAR + ")",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** The configured words, NFC, each once. */
    public Set<String> words() {
        return new LinkedHashSet<>(configuredByFolded.values());
    }

    public Result apply(String text) {
        if (pattern == null || text == null || text.isEmpty()) {
            return new Result(text, List.of());
        }
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        Matcher m = pattern.matcher(nfc);
        if (!m.find()) {
            return new Result(text, List.of());
        }
        StringBuilder out = new StringBuilder(nfc.length());
        Set<String> found = new LinkedHashSet<>();
        int from = 0;
        do {
            out.append(nfc, from, m.start());
            String word = m.group();
            out.append("*".repeat(word.codePointCount(0, word.length())));
            found.add(configuredByFolded.getOrDefault(fold(word), word));
            from = m.end();
        } while (m.find());
        out.append(nfc, from, nfc.length());
        return new Result(out.toString(), List.copyOf(found));
    }

    private static String fold(String s) {
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }
}
