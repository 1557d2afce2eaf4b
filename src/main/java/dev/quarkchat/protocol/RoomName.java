package dev.quarkchat.protocol;

import java.util.regex.Pattern;

/** The rule for room names, shared by the frame decoder and the configuration. */
public final class RoomName {

    /**
     * Lower-case letters, digits, {@code _} and {@code -}; starts with a letter or digit; 1 to 64
     * characters.
     */
    public static final String REGEX = "^[a-z0-9][a-z0-9_-]{0,63}$";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private RoomName() {}

    public static boolean isValid(String name) {
        return PATTERN.matcher(name).matches();
    }
}
