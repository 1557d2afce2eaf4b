package dev.quarkchat.protocol;

/**
 * What counts as one emoji in a reaction: a short run of pictographs and what composes them (skin
 * tones, joiners, variation selectors, keycaps, tags, flags' regional indicators), with at least
 * one pictograph, and no letters, spaces or controls, so that a reaction cannot carry a text.
 */
public final class Emoji {

    /** Longest accepted: a family or a flag with tags fits; a sentence of emoji does not. */
    public static final int MAX_CODE_POINTS = 16;

    /** The mark that makes a digit, {@code #} or {@code *} a keycap emoji. */
    private static final int KEYCAP = 0x20E3;

    private Emoji() {}

    public static boolean isEmoji(String candidate) {
        int count = candidate.codePointCount(0, candidate.length());
        if (count == 0 || count > MAX_CODE_POINTS) {
            return false;
        }
        boolean pictograph = false;
        for (int i = 0; i < candidate.length(); ) {
            int codePoint = candidate.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.OTHER_SYMBOL || codePoint == KEYCAP) {
                pictograph = true;
            } else if (!composes(codePoint, type)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return pictograph;
    }

    /**
     * Skin tones (modifier symbols), variation selectors and the keycap mark (marks), the zero
     * width joiner and tags (format), and the digits, {@code #} and {@code *} keycaps start with.
     */
    private static boolean composes(int codePoint, int type) {
        return type == Character.MODIFIER_SYMBOL
                || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || codePoint == 0x200D
                || (codePoint >= 0xE0020 && codePoint <= 0xE007F)
                || (codePoint >= '0' && codePoint <= '9')
                || codePoint == '#'
                || codePoint == '*';
    }
}
