package dev.quarkchat.engine;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The one source of epochs: names for a run of seqs, which only have to differ from the room's
 * earlier ones.
 */
public final class Epochs {

    private static final int RADIX = 36;

    private Epochs() {}

    /** A new epoch; ThreadLocalRandom also keeps it out of a native image's heap. */
    public static String next() {
        return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), RADIX);
    }
}
