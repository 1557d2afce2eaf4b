package dev.quarkchat.protocol;

/**
 * Text from clients and tokens (user names, room names, backplane payloads) as log lines may show
 * it: every character {@link UserName#isHidden} names (control and formatting characters, line
 * separators, unassigned code points, lone surrogates) as a Java escape (a backslash, {@code u} and
 * four hex digits per UTF-16 unit), and a backslash as two, so that such text can neither break a
 * log line in two, nor reorder it on screen, nor pass for an escape of its own.
 */
public final class LogSafe {

    private LogSafe() {}

    /**
     * The text, escaped when a log line prints it: a logger that skips the line (a debug line in
     * production) never pays for the escaping.
     */
    public static Object escaped(String text) {
        return new Escaped(text);
    }

    /** The escaped text itself. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        text.codePoints()
                .forEach(
                        codePoint -> {
                            if (codePoint == '\\') {
                                escaped.append("\\\\");
                            } else if (UserName.isHidden(codePoint)) {
                                for (char unit : Character.toChars(codePoint)) {
                                    escaped.append(String.format("\\u%04X", (int) unit));
                                }
                            } else {
                                escaped.appendCodePoint(codePoint);
                            }
                        });
        return escaped.toString();
    }

    private record Escaped(String text) {

        @Override
        public String toString() {
            return escape(text);
        }
    }
}
