package dev.quarkchat.protocol;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who a text mentions: each word that starts with {@code @} names a user, without the punctuation
 * that may follow it ({@code "@bob,"} mentions bob). Words are split at ASCII white space only, so
 * that the Redis and PostgreSQL engines, which count mentions themselves, read a text the same way;
 * a name with a space in it cannot be mentioned.
 */
public final class Mentions {

    /** What may follow a name in a sentence, and is not part of it. */
    private static final String TRAILING = ".,!?:;)";

    private static final String WHITE_SPACE = " \t\n\r\f\u000B";

    private Mentions() {}

    /** The names the text mentions, in order, each once. */
    public static Set<String> in(String text) {
        Set<String> names = new LinkedHashSet<>();
        int at = 0;
        while (at < text.length()) {
            while (at < text.length() && WHITE_SPACE.indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            int end = at;
            while (end < text.length() && WHITE_SPACE.indexOf(text.charAt(end)) < 0) {
                end++;
            }
            if (end > at + 1 && text.charAt(at) == '@') {
                int nameEnd = end;
                while (nameEnd > at + 1 && TRAILING.indexOf(text.charAt(nameEnd - 1)) >= 0) {
                    nameEnd--;
                }
                if (nameEnd > at + 1) {
                    names.add(text.substring(at + 1, nameEnd));
                }
            }
            at = end;
        }
        return names;
    }

    /** Whether the text mentions the user. */
    public static boolean mentions(String text, String user) {
        return in(text).contains(user);
    }
}
