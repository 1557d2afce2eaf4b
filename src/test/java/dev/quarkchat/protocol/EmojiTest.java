package dev.quarkchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One emoji, composed as people pick them; never a text. */
class EmojiTest {

    @Test
    void pictographsAndTheirCompositionsAreEmoji() {
        assertThat(Emoji.isEmoji("👍")).isTrue();
        assertThat(Emoji.isEmoji("👍🏽")).as("skin tone").isTrue();
        assertThat(Emoji.isEmoji("❤️")).as("variation selector").isTrue();
        assertThat(Emoji.isEmoji("👨‍👩‍👧")).as("joined family").isTrue();
        assertThat(Emoji.isEmoji("🇫🇷")).as("flag").isTrue();
        assertThat(Emoji.isEmoji("1️⃣")).as("keycap").isTrue();
        assertThat(
                        Emoji.isEmoji(
                                "🏴\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F"))
                .as("flag with tags")
                .isTrue();
    }

    @Test
    void textSpacesControlsAndLongRunsAreNot() {
        assertThat(Emoji.isEmoji("")).isFalse();
        assertThat(Emoji.isEmoji("ok")).isFalse();
        assertThat(Emoji.isEmoji("a👍")).isFalse();
        assertThat(Emoji.isEmoji("👍 ")).isFalse();
        assertThat(Emoji.isEmoji("👍\u0000")).isFalse();
        assertThat(Emoji.isEmoji("7")).as("a digit alone").isFalse();
        assertThat(Emoji.isEmoji("\u200D")).as("a joiner alone").isFalse();
        assertThat(Emoji.isEmoji("👍".repeat(Emoji.MAX_CODE_POINTS + 1))).isFalse();
    }
}
