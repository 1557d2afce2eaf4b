package dev.quarkchat.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Floods a room with large messages until a condition holds (typically: a stuck reader was
 * dropped), in small batches that every reading member receives before the next, so that only a
 * member that does not read falls behind.
 */
public final class Flood {

    private static final String BIG_TEXT = "x".repeat(4000);

    /**
     * Far more than TCP buffers plus a send queue can hold; the flood stops once the condition
     * holds.
     */
    private static final int MAX_MESSAGES = 5_000;

    /**
     * Well under the smallest allowed chat.max-pending-bytes, so a member who reads never comes
     * near it.
     */
    private static final int BATCH = 8;

    private Flood() {}

    /** Sends batches of big messages until {@code done} holds, and returns their ids in order. */
    public static List<String> until(
            BooleanSupplier done, String room, ChatClient talker, ChatClient... readers) {
        List<String> sent = new ArrayList<>();
        while (sent.size() < MAX_MESSAGES && !done.getAsBoolean()) {
            for (int i = 0; i < BATCH; i++) {
                String id = "flood-" + sent.size();
                talker.send(room, BIG_TEXT, id);
                sent.add(id);
            }
            String last = sent.get(sent.size() - 1);
            talker.awaitMessage(last);
            for (ChatClient reader : readers) {
                reader.awaitMessage(last);
            }
        }
        return sent;
    }
}
