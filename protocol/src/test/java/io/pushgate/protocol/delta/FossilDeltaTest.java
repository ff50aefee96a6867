package io.pushgate.protocol.delta;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class FossilDeltaTest {

    private static final byte[] HELLO = "hello".getBytes(UTF_8);

    /** Bytes written as a string of chars 0-255, as the reference's deltas were printed. */
    private static byte[] bytes(String latin1) {
        return latin1.getBytes(ISO_8859_1);
    }

    @Test
    void createGivesTheReferenceDeltasOfSmallExamples() {
        // Printed by npm fossil-delta 1.0.2 and 2.0.0.
        assertThat(FossilDelta.create(new byte[0], new byte[0])).isEqualTo(bytes("0\n0:0;"));
        assertThat(FossilDelta.create(HELLO, HELLO)).isEqualTo(bytes("5\n5:hello3NPMmh;"));
        assertThat(FossilDelta.create(
                "The quick brown fox jumps over the lazy dog.".getBytes(UTF_8),
                "The quick brown fox leaps over the lazy dog.".getBytes(UTF_8)))
                .isEqualTo(bytes("h\nK@0,O:leaps over the lazy dog.1vB0a9;"));
    }

    @Test
    void theReferenceCutsThroughCharactersWhereCreateTextDoesNot() {
        String source = "Café crème brûlée, café au lait";
        String target = "Cafè crème brûlée, cafè au lait";
        // è is C3 A8: the reference copies the C3 and starts the next literal with the A8.
        byte[] reference = bytes("_\n5:Caf\u00c3\u00a8M@5,9:\u00a8 au lait3UJo2a;");
        assertThat(FossilDelta.create(source.getBytes(UTF_8), target.getBytes(UTF_8))).isEqualTo(reference);
        assertThat(Utf8.isValid(reference)).isFalse();

        String delta = FossilDelta.createText(source, target);
        assertThat(delta).isEqualTo("_\n5:CafèL@5,A:è au lait3UJo2a;");
        assertThat(FossilDelta.applyText(source, delta)).isEqualTo(target);
        assertThat(FossilDelta.apply(source.getBytes(UTF_8), delta.getBytes(UTF_8))).isEqualTo(target.getBytes(UTF_8));
    }

    @Test
    void createTextOfEmojiKeepsSurrogatePairsWhole() {
        String source = "rates 📈📈📈 up, rates 📈📈📈 up, rates 📈📈📈 up";
        String target = "rates 📈📉📈 up, rates 📈📈📈 up, rates 📈📈📉 up";
        String delta = FossilDelta.createText(source, target);
        assertThat(FossilLiterals.of(delta.getBytes(UTF_8))).allSatisfy(literal -> assertThat(Utf8.isValid(literal)).isTrue());
        assertThat(FossilDelta.applyText(source, delta)).isEqualTo(target);
    }

    @Test
    void deltaOfALongUnchangedTextIsTiny() {
        String text = "the price of bitcoin moved again; ".repeat(1000);
        assertThat(FossilDelta.createText(text, text)).hasSizeLessThan(20);
    }

    @Test
    void appliesADeltaOfCopiesAndInserts() {
        byte[] source = "The quick brown fox jumps over the lazy dog.".getBytes(UTF_8);
        assertThat(FossilDelta.apply(source, bytes("h\nK@0,O:leaps over the lazy dog.1vB0a9;")))
                .asString(UTF_8).isEqualTo("The quick brown fox leaps over the lazy dog.");
    }

    @Test
    void ignoresBytesAfterTheChecksum() {
        // As the reference decoders do.
        assertThat(FossilDelta.apply(HELLO, bytes("5\n5:hello3NPMmh;and more"))).isEqualTo(HELLO);
    }

    @Test
    void refusesMalformedDeltasWithAClearMessage() {
        assertRefused(HELLO, "", "malformed Fossil delta: expected the target size at byte 0, found the end");
        assertRefused(HELLO, "5", "malformed Fossil delta: the target size is not followed by a newline");
        assertRefused(HELLO, "5x", "malformed Fossil delta: the target size is not followed by a newline");
        assertRefused(HELLO, "\n", "malformed Fossil delta: expected the target size at byte 0, found byte 0x0a");
        assertRefused(HELLO, "5\n5?hello3NPMmh;", "malformed Fossil delta: unknown command '?' at byte 3");
        assertRefused(HELLO, "5\n:hello", "malformed Fossil delta: expected a command's count at byte 2, found ':'");
        assertRefused(HELLO, "5\n5", "malformed Fossil delta: ends after a count, without a command");
        assertRefused(HELLO, "5\n5:hello", "malformed Fossil delta: unterminated: no ';' checksum at the end");
        assertRefused(HELLO, "5\n9:hel", "Fossil delta size mismatch: an insert goes past the announced target size of 5");
        assertRefused(HELLO, "9\n9:hel", "malformed Fossil delta: insert of 9 bytes extends past the end of the delta");
        assertRefused(HELLO, "5\n5@1,", "malformed Fossil delta: copy of 5 bytes at offset 1 extends past the end of the 5-byte source");
        assertRefused(HELLO, "5\n5@0;", "malformed Fossil delta: copy command at byte 3 is not terminated by ','");
        assertRefused(HELLO, "3\n5@0,", "Fossil delta size mismatch: a copy goes past the announced target size of 3");
        assertRefused(HELLO, "~~~~~~\n", "malformed Fossil delta: the target size at byte 0 is too large");
    }

    @Test
    void refusesABadChecksumOrSize() {
        assertRefused(HELLO, "5\n5:hello3NPMmi;", "Fossil delta checksum mismatch: expected 3613748333, got 3613748332 (wrong source, or a corrupt delta)");
        assertRefused(HELLO, "6\n5:hello3NPMmh;", "Fossil delta size mismatch: the delta produces 5 bytes but announces 6");
        // The right delta against the wrong source.
        byte[] delta = FossilDelta.create("The quick brown fox jumps over the lazy dog.".getBytes(UTF_8),
                "The quick brown fox leaps over the lazy dog.".getBytes(UTF_8));
        assertThatThrownBy(() -> FossilDelta.apply("The quick brown cat jumps over the lazy dog.".getBytes(UTF_8), delta))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Fossil delta checksum mismatch");
    }

    @Test
    void boundsTheTargetSizeWhenAsked() {
        // A 6-byte header announces 16 MiB, which 5-byte copy commands could fill.
        assertThatThrownBy(() -> FossilDelta.apply(HELLO, bytes("10000\n5@0,5@0,"), 1 << 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Fossil delta announces a target of 16777216 bytes, more than the allowed 1048576");
        assertThat(FossilDelta.apply(HELLO, bytes("5\n5:hello3NPMmh;"), 5)).isEqualTo(HELLO);
    }

    @Test
    void aHugeAnnouncedSizeCostsNoMemoryUntilFilled() {
        // Announces almost 1 GiB, then fails at the checksum: must not allocate the gigabyte.
        assertThatThrownBy(() -> FossilDelta.apply(HELLO, bytes("z~~~~\n5@0,0;")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Fossil delta size mismatch");
    }

    @Test
    void textsWithUnpairedSurrogatesAreRefused() {
        assertThatThrownBy(() -> FossilDelta.createText("ok", "bad \uD83D here"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target text holds an unpaired surrogate");
        assertThatThrownBy(() -> FossilDelta.applyText("bad \uDC00", "0\n0:0;"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source text holds an unpaired surrogate");
    }

    @Test
    void applyTextRefusesATargetThatIsNotUtf8() {
        // Copies only the first byte of é (C3 A9): a valid delta, but not of a text.
        byte[] source = "é".getBytes(UTF_8);
        ByteArrayOutputStream delta = new ByteArrayOutputStream();
        delta.writeBytes(bytes("1\n1@0,"));
        FossilFormat.writeInt(delta, FossilFormat.checksum(new byte[] {source[0]}, 1));
        delta.write(';');
        assertThat(FossilDelta.apply(source, delta.toByteArray())).containsExactly(source[0]);
        assertThatThrownBy(() -> FossilDelta.applyText("é", delta.toString(ISO_8859_1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Fossil delta produces bytes that are not valid UTF-8");
    }

    private static void assertRefused(byte[] source, String delta, String message) {
        assertThatThrownBy(() -> FossilDelta.apply(source, bytes(delta)))
                .as("delta %s", delta.replace("\n", "\\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
