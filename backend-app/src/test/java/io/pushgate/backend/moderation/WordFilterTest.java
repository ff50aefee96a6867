package io.pushgate.backend.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordFilterTest {

    private final WordFilter filter = new WordFilter(List.of("darn", "heck", "Ärger", "bad word", "naïve"));

    @Test
    void replacesEachWordWithAsManyAsterisks() {
        WordFilter.Result r = filter.apply("well darn it");
        assertThat(r.text()).isEqualTo("well **** it");
        assertThat(r.words()).containsExactly("darn");
        assertThat(r.bleeped()).isTrue();
    }

    @Test
    void keepsPunctuationSpacesAndTheRestOfTheText() {
        assertThat(filter.apply("Darn! (heck), darn's \"heck\"... ok?").text()).isEqualTo("****! (****), ****'s \"****\"... ok?");
        assertThat(filter.apply("  darn\theck\n").text()).isEqualTo("  ****\t****\n");
        assertThat(filter.apply("darn").text()).isEqualTo("****");
    }

    @Test
    void keepsTheLengthOfTheText() {
        String text = "Heck, what a darn day; HECK!";
        assertThat(filter.apply(text).text()).hasSameSizeAs(text);
    }

    @Test
    void matchesWholeWordsOnly() {
        WordFilter.Result r = filter.apply("checker hecking darned undarn darn_it darn2 heck");
        assertThat(r.text()).isEqualTo("checker hecking darned undarn darn_it darn2 ****");
        assertThat(filter.apply("no flagged words here").bleeped()).isFalse();
    }

    @Test
    void ignoresCaseAcrossUnicode() {
        assertThat(filter.apply("DARN Darn dArN").text()).isEqualTo("**** **** ****");
        assertThat(filter.apply("So ein ärger, ÄRGER!").text()).isEqualTo("So ein *****, *****!");
        assertThat(filter.apply("so ÄRGERLICH").bleeped()).isFalse();
        assertThat(filter.apply("NAÏVE").text()).isEqualTo("*****");
    }

    @Test
    void reportsTheWordsAsConfiguredOnceEachInOrder() {
        assertThat(filter.apply("HECK darn heck ÄRGER").words()).containsExactly("heck", "darn", "Ärger");
    }

    @Test
    void matchesDecomposedAccentsAsTheComposedOnes() {
        String decomposed = "so nai\u0308ve!";   // i + combining diaeresis
        WordFilter.Result r = filter.apply(decomposed);
        assertThat(r.text()).isEqualTo("so *****!");
        // a combining mark after a word makes it another word
        assertThat(filter.apply("darn\u0301").bleeped()).isFalse();
    }

    @Test
    void countsCharactersNotUtf16Units() {
        WordFilter emoji = new WordFilter(List.of("\uD83D\uDCA9x"));   // pile of poo + x: 2 code points, 3 chars
        assertThat(emoji.apply("a \uD83D\uDCA9x b").text()).isEqualTo("a ** b");
    }

    @Test
    void matchesWordsWithSpacesAndPrefersTheLongerWord() {
        WordFilter f = new WordFilter(List.of("bad", "bad word"));
        assertThat(f.apply("a bad word and a bad idea").text()).isEqualTo("a ******** and a *** idea");
    }

    @Test
    void treatsConfiguredWordsLiterally() {
        WordFilter f = new WordFilter(List.of("a.c", "(x)"));
        assertThat(f.apply("abc a.c").text()).isEqualTo("abc ***");
    }

    @Test
    void withoutWordsNothingIsBleeped() {
        WordFilter none = new WordFilter(List.of(" ", ""));
        assertThat(none.apply("darn").bleeped()).isFalse();
        assertThat(none.words()).isEmpty();
        assertThat(filter.apply("").bleeped()).isFalse();
    }
}
