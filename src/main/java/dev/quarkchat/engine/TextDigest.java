package dev.quarkchat.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What a remembered message id keeps of its text: enough to tell a resend of the same text from
 * another text under the same id, in 16 bytes whatever the text's length (the first half of its
 * SHA-256).
 */
public record TextDigest(long high, long low) {

    private static final int HEX_DIGITS_PER_LONG = 16;

    public static TextDigest of(String text) {
        try {
            ByteBuffer digest =
                    ByteBuffer.wrap(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
            return new TextDigest(digest.getLong(), digest.getLong());
        } catch (NoSuchAlgorithmException impossible) {
            // Every Java platform has SHA-256; this only keeps the signature honest.
            throw new IllegalStateException(impossible);
        }
    }

    /** Reads {@link #hex()}'s form back. */
    public static TextDigest ofHex(String hex) {
        if (hex.length() != 2 * HEX_DIGITS_PER_LONG) {
            throw new IllegalArgumentException("a text digest is 32 hexadecimal digits");
        }
        return new TextDigest(
                Long.parseUnsignedLong(hex.substring(0, HEX_DIGITS_PER_LONG), 16),
                Long.parseUnsignedLong(hex.substring(HEX_DIGITS_PER_LONG), 16));
    }

    /** As 32 hexadecimal digits, as Redis keeps it. */
    public String hex() {
        return String.format("%016x%016x", high, low);
    }
}
