package dev.quarkchat.protocol;

import java.text.Normalizer;

/**
 * The rule for user names taken from tokens: every frame that names a user ({@code welcome}, {@code
 * message}, {@code presence}, {@code joined}) carries one, so a name must look like what it is on
 * every screen and in every log line. The page's js/validation.js applies the same rule.
 *
 * <p>A name is valid when it is not empty, holds no control character (Cc), no invisible formatting
 * character (Cf: bidirectional overrides, isolates and marks, zero-width spaces and joiners, the
 * byte order mark, ..., and the few letters and marks that render as nothing, such as the Hangul
 * fillers), no line or paragraph separator (Zl, Zp), no code point Unicode leaves unassigned and no
 * lone surrogate; does not start or end with a space (Zs); and is at most the configured number of
 * code points long in Unicode normalization form C. A valid name is used in that form, so that
 * {@code zoë} typed with a combining diaeresis is the same user as {@code zoë} typed with the
 * precomposed letter.
 */
public final class UserName {

    /** The default longest name, in code points. */
    public static final int DEFAULT_MAX_LENGTH = 64;

    /**
     * A {@code joined} lists up to 100 names: at this length that is still a frame of tens of
     * kilobytes.
     */
    public static final int MAX_LENGTH_CEILING = 256;

    private UserName() {}

    /** Why a name is refused; {@link #reason(int)} says it in words for people. */
    public enum Fault {
        EMPTY("it is empty"),
        CONTROL_CHARACTER("it contains a control character"),
        INVISIBLE_CHARACTER("it contains an invisible formatting character"),
        LINE_SEPARATOR("it contains a line or paragraph separator"),
        UNASSIGNED_CHARACTER("it contains a code point that Unicode does not assign"),
        LONE_SURROGATE("it contains half of a surrogate pair"),
        SURROUNDING_SPACE("it starts or ends with a space"),
        TOO_LONG("it is longer than %d characters");

        private final String reason;

        Fault(String reason) {
            this.reason = reason;
        }

        /**
         * The reason, as in "Your sign-in name is not accepted: it contains a control character".
         */
        public String reason(int maxLength) {
            return String.format(reason, maxLength);
        }
    }

    /**
     * The outcome of {@link #check}: the name to use (in NFC) or the fault, never both.
     *
     * @param name the normalized name; null when refused
     * @param fault why the name is refused; null when valid
     */
    public record Verdict(String name, Fault fault) {

        public boolean isValid() {
            return fault == null;
        }
    }

    /**
     * Checks a name as a token carries it; {@code maxLength} counts code points of its NFC form.
     */
    public static Verdict check(String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            return refused(Fault.EMPTY);
        }
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            Fault fault = faultOf(codePoint);
            if (fault != null) {
                return refused(fault);
            }
            i += Character.charCount(codePoint);
        }
        String normalized =
                Normalizer.isNormalized(name, Normalizer.Form.NFC)
                        ? name
                        : Normalizer.normalize(name, Normalizer.Form.NFC);
        if (isSpace(normalized.codePointAt(0))
                || isSpace(normalized.codePointBefore(normalized.length()))) {
            return refused(Fault.SURROUNDING_SPACE);
        }
        if (normalized.codePointCount(0, normalized.length()) > maxLength) {
            return refused(Fault.TOO_LONG);
        }
        return new Verdict(normalized, null);
    }

    /**
     * Whether a character shows as nothing, or as something other than itself, wherever it is
     * printed: what no name may hold and what log lines write escaped ({@link LogSafe}).
     */
    public static boolean isHidden(int codePoint) {
        return faultOf(codePoint) != null;
    }

    private static Fault faultOf(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL -> Fault.CONTROL_CHARACTER;
            case Character.FORMAT -> Fault.INVISIBLE_CHARACTER;
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> Fault.LINE_SEPARATOR;
            case Character.UNASSIGNED -> Fault.UNASSIGNED_CHARACTER;
            case Character.SURROGATE -> Fault.LONE_SURROGATE;
            default -> isBlankLetterOrMark(codePoint) ? Fault.INVISIBLE_CHARACTER : null;
        };
    }

    /**
     * Letters and marks that Unicode files as default-ignorable (drawn as nothing), outside Cf: the
     * combining grapheme joiner, the Hangul fillers (a classic way to a name that looks empty) and
     * two Khmer vowels. Variation selectors, also ignorable, stay allowed: emoji need them.
     */
    private static boolean isBlankLetterOrMark(int codePoint) {
        return codePoint == 0x034F
                || codePoint == 0x115F
                || codePoint == 0x1160
                || codePoint == 0x17B4
                || codePoint == 0x17B5
                || codePoint == 0x3164
                || codePoint == 0xFFA0;
    }

    private static boolean isSpace(int codePoint) {
        return Character.getType(codePoint) == Character.SPACE_SEPARATOR;
    }

    private static Verdict refused(Fault fault) {
        return new Verdict(null, fault);
    }
}
