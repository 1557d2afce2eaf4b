package dev.quarkchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.protocol.UserName.Fault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** The user name rule alone; UserNameValidationTest checks it at the handshake, over a socket. */
class UserNameTest {

    private static final int MAX_LENGTH = UserName.DEFAULT_MAX_LENGTH;
    private static final String ZOE_PRECOMPOSED = "zo\u00EB";
    private static final String ZOE_DECOMPOSED = "zoe\u0308";

    static Stream<Arguments> validNames() {
        return Stream.of(
                Arguments.of("alice", "alice"),
                Arguments.of(ZOE_PRECOMPOSED, ZOE_PRECOMPOSED),
                Arguments.of(ZOE_DECOMPOSED, ZOE_PRECOMPOSED),
                Arguments.of("\u6E21\u8FBA", "\u6E21\u8FBA"),
                Arguments.of("O'Brien", "O'Brien"),
                Arguments.of("Ana Mar\u00EDa", "Ana Mar\u00EDa"),
                Arguments.of("a", "a"),
                Arguments.of("<script>", "<script>"),
                Arguments.of(
                        "emoji \u2764\uFE0F with a variation selector",
                        "emoji \u2764\uFE0F with a variation selector"),
                Arguments.of("x".repeat(MAX_LENGTH), "x".repeat(MAX_LENGTH)),
                Arguments.of("\uD83D\uDE00".repeat(MAX_LENGTH), "\uD83D\uDE00".repeat(MAX_LENGTH)),
                Arguments.of(
                        ZOE_DECOMPOSED.repeat(MAX_LENGTH / 3),
                        ZOE_PRECOMPOSED.repeat(MAX_LENGTH / 3)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("validNames")
    void aValidNameIsUsedInNfc(String name, String used) {
        UserName.Verdict verdict = UserName.check(name, MAX_LENGTH);

        assertThat(verdict.isValid()).isTrue();
        assertThat(verdict.name()).isEqualTo(used);
        assertThat(verdict.fault()).isNull();
    }

    static Stream<Arguments> refusedNames() {
        return Stream.of(
                Arguments.of("nothing", null, Fault.EMPTY),
                Arguments.of("empty", "", Fault.EMPTY),
                Arguments.of("NUL", "ali\0ce", Fault.CONTROL_CHARACTER),
                Arguments.of("newline", "alice\nbob", Fault.CONTROL_CHARACTER),
                Arguments.of("carriage return", "alice\r", Fault.CONTROL_CHARACTER),
                Arguments.of("tab", "\talice", Fault.CONTROL_CHARACTER),
                Arguments.of(
                        "escape (terminal colours)", "\u001B[31malice", Fault.CONTROL_CHARACTER),
                Arguments.of("DEL", "alice\u007F", Fault.CONTROL_CHARACTER),
                Arguments.of("next line (C1)", "alice\u0085", Fault.CONTROL_CHARACTER),
                Arguments.of("right-to-left override", "\u202Eecila", Fault.INVISIBLE_CHARACTER),
                Arguments.of("left-to-right embedding", "\u202Aalice", Fault.INVISIBLE_CHARACTER),
                Arguments.of("right-to-left isolate", "alice\u2067", Fault.INVISIBLE_CHARACTER),
                Arguments.of("pop directional isolate", "alice\u2069", Fault.INVISIBLE_CHARACTER),
                Arguments.of("left-to-right mark", "alice\u200E", Fault.INVISIBLE_CHARACTER),
                Arguments.of("right-to-left mark", "alice\u200F", Fault.INVISIBLE_CHARACTER),
                Arguments.of("zero width space", "ali\u200Bce", Fault.INVISIBLE_CHARACTER),
                Arguments.of("zero width non-joiner", "ali\u200Cce", Fault.INVISIBLE_CHARACTER),
                Arguments.of("zero width joiner", "ali\u200Dce", Fault.INVISIBLE_CHARACTER),
                Arguments.of("word joiner", "ali\u2060ce", Fault.INVISIBLE_CHARACTER),
                Arguments.of("byte order mark", "\uFEFFalice", Fault.INVISIBLE_CHARACTER),
                Arguments.of("soft hyphen", "ali\u00ADce", Fault.INVISIBLE_CHARACTER),
                Arguments.of(
                        "tag letter (outside the BMP)",
                        "alice\uDB40\uDC41",
                        Fault.INVISIBLE_CHARACTER),
                Arguments.of("Hangul filler only", "\u3164", Fault.INVISIBLE_CHARACTER),
                Arguments.of("halfwidth Hangul filler", "alice\uFFA0", Fault.INVISIBLE_CHARACTER),
                Arguments.of("combining grapheme joiner", "alice\u034F", Fault.INVISIBLE_CHARACTER),
                Arguments.of("line separator", "alice\u2028bob", Fault.LINE_SEPARATOR),
                Arguments.of("paragraph separator", "alice\u2029", Fault.LINE_SEPARATOR),
                Arguments.of("unassigned code point", "alice\u0378", Fault.UNASSIGNED_CHARACTER),
                Arguments.of("noncharacter", "alice\uFFFF", Fault.UNASSIGNED_CHARACTER),
                Arguments.of("lone high surrogate", "alice\uD800", Fault.LONE_SURROGATE),
                Arguments.of("lone low surrogate", "\uDC00alice", Fault.LONE_SURROGATE),
                Arguments.of("leading space", " alice", Fault.SURROUNDING_SPACE),
                Arguments.of("trailing space", "alice ", Fault.SURROUNDING_SPACE),
                Arguments.of("only spaces", "   ", Fault.SURROUNDING_SPACE),
                Arguments.of("leading no-break space", "\u00A0alice", Fault.SURROUNDING_SPACE),
                Arguments.of("trailing ideographic space", "alice\u3000", Fault.SURROUNDING_SPACE),
                Arguments.of("one code point too many", "x".repeat(MAX_LENGTH + 1), Fault.TOO_LONG),
                Arguments.of(
                        "one emoji too many",
                        "\uD83D\uDE00".repeat(MAX_LENGTH + 1),
                        Fault.TOO_LONG),
                Arguments.of("5,000 characters", "x".repeat(5000), Fault.TOO_LONG));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refusedNames")
    void aBadNameIsRefusedWithItsFault(String description, String name, Fault fault) {
        UserName.Verdict verdict = UserName.check(name, MAX_LENGTH);

        assertThat(verdict.isValid()).isFalse();
        assertThat(verdict.fault()).isEqualTo(fault);
        assertThat(verdict.name()).isNull();
    }

    @Test
    void theLengthIsConfigurable() {
        assertThat(UserName.check("abc", 3).isValid()).isTrue();
        assertThat(UserName.check("abcd", 3).fault()).isEqualTo(Fault.TOO_LONG);
    }

    @Test
    void theLengthCountsTheNfcForm() {
        assertThat(UserName.check(ZOE_DECOMPOSED, 3).name()).isEqualTo(ZOE_PRECOMPOSED);
    }

    @Test
    void spacesInsideANameAreFine() {
        assertThat(UserName.check("Ana  Mar\u00EDa", MAX_LENGTH).isValid()).isTrue();
    }

    @Test
    void theReasonSaysItInWords() {
        assertThat(Fault.INVISIBLE_CHARACTER.reason(MAX_LENGTH))
                .isEqualTo("it contains an invisible formatting character");
        assertThat(Fault.TOO_LONG.reason(MAX_LENGTH)).isEqualTo("it is longer than 64 characters");
    }

    @Test
    void hiddenCharactersAreTheOnesNoNameMayHold() {
        assertThat(UserName.isHidden('\n')).isTrue();
        assertThat(UserName.isHidden(0x202E)).isTrue();
        assertThat(UserName.isHidden(0x2028)).isTrue();
        assertThat(UserName.isHidden(0xD800)).isTrue();
        assertThat(UserName.isHidden(0x0378)).isTrue();
        assertThat(UserName.isHidden('a')).isFalse();
        assertThat(UserName.isHidden(' ')).isFalse();
        assertThat(UserName.isHidden(0x6E21)).isFalse();
        assertThat(UserName.isHidden(0xFE0F)).isFalse();
    }
}
