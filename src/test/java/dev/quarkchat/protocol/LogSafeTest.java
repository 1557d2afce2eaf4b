package dev.quarkchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What log lines show of text that came from a client or a token. */
class LogSafeTest {

    @Test
    void plainTextIsLeftAlone() {
        assertThat(LogSafe.escape("Ana Mar\u00EDa \u6E21\u8FBA <b>"))
                .isEqualTo("Ana Mar\u00EDa \u6E21\u8FBA <b>");
    }

    @Test
    void controlAndFormatCharactersAreEscaped() {
        assertThat(LogSafe.escape("alice\nFAKE LOG LINE")).isEqualTo("alice\\u000AFAKE LOG LINE");
        assertThat(LogSafe.escape("\0\u202Eecila\u200B")).isEqualTo("\\u0000\\u202Eecila\\u200B");
        assertThat(LogSafe.escape("a\u2028b\u0378")).isEqualTo("a\\u2028b\\u0378");
    }

    @Test
    void charactersOutsideTheBmpAreEscapedAsTheirSurrogates() {
        assertThat(LogSafe.escape("tag\uDB40\uDC41")).isEqualTo("tag\\uDB40\\uDC41");
        assertThat(LogSafe.escape("lone\uD800")).isEqualTo("lone\\uD800");
        assertThat(LogSafe.escape("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void aBackslashIsDoubledSoThatNoTextPassesForAnEscape() {
        assertThat(LogSafe.escape("a\\u202Eb")).isEqualTo("a\\\\u202Eb");
    }

    @Test
    void theLazyFormEscapesWhenPrinted() {
        assertThat(String.format("user %s", LogSafe.escaped("x\ny"))).isEqualTo("user x\\u000Ay");
        assertThat(String.valueOf(LogSafe.escaped(null))).isEqualTo("null");
    }
}
