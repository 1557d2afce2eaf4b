package dev.quarkchat.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The room of the direct conversation between two users: its name comes from the two names alone,
 * the same whoever opens it, and no other pair of users gets it. Nobody joins such a room with
 * {@code join}, only its two users with {@code dm}, so it is private by construction.
 */
public final class DirectRooms {

    /** Every direct room's name starts with it, and no other room's may. */
    public static final String PREFIX = "dm-";

    /** Bytes of the digest kept in the name: 160 bits, so no two pairs meet by chance. */
    private static final int NAME_BYTES = 20;

    private DirectRooms() {}

    /** The room of the conversation between the two users, in either order. */
    public static String nameOf(String user, String other) {
        String first = user.compareTo(other) <= 0 ? user : other;
        String second = first.equals(user) ? other : user;
        try {
            // A NUL appears in no user name: the pair reads back one way only.
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest((first + '\0' + second).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, NAME_BYTES);
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("every Java runtime has SHA-256", missing);
        }
    }

    /** Whether the room is a direct conversation's. */
    public static boolean isDirect(String room) {
        return room.startsWith(PREFIX);
    }
}
