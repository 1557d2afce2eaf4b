package dev.quarkchat.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The last messages of one room, by {@code seq}, and the room's {@code epoch}: a name for this run of
 * sequence numbers. A room that is forgotten (its last member left) starts a new epoch at seq 1, so a
 * client holding an old position can tell that it cannot be continued. Used under the room's lock.
 *
 * @param <F> the encoded frame kept for each message
 */
public final class RoomHistory<F> {

    private static final int EPOCH_RADIX = 36;

    private final int capacity;
    /** Only has to differ from the room's earlier epochs; ThreadLocalRandom also keeps it out of a native image's heap. */
    private final String epoch = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), EPOCH_RADIX);
    private final Deque<Entry<F>> entries = new ArrayDeque<>();
    private long lastSeq;

    private record Entry<F>(long seq, F frame) {
    }

    public RoomHistory(int capacity) {
        this.capacity = capacity;
    }

    public String epoch() {
        return epoch;
    }

    /** The seq of the latest message; 0 before the first. */
    public long lastSeq() {
        return lastSeq;
    }

    /** The seq of the next message: one more than the last, never a gap. */
    public long nextSeq() {
        return ++lastSeq;
    }

    /** Keeps the message of that seq, forgetting the oldest one when full. */
    public void keep(long seq, F frame) {
        if (capacity == 0) {
            return;
        }
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry<>(seq, frame));
    }

    /**
     * Everything after {@code since}, in order, if all of it is still held and the epoch is this one's;
     * empty otherwise (then the client needs a fresh view).
     */
    public Optional<List<F>> after(long since, Optional<String> clientEpoch) {
        if (clientEpoch.isEmpty() || !clientEpoch.get().equals(epoch) || since > lastSeq) {
            return Optional.empty();
        }
        long firstHeld = entries.isEmpty() ? lastSeq + 1 : entries.peekFirst().seq();
        if (since + 1 < firstHeld) {
            return Optional.empty();
        }
        List<F> missed = new ArrayList<>();
        for (Entry<F> entry : entries) {
            if (entry.seq() > since) {
                missed.add(entry.frame());
            }
        }
        return Optional.of(missed);
    }

    /** The latest {@code count} messages, oldest first. */
    public List<F> latest(int count) {
        int skip = Math.max(0, entries.size() - count);
        List<F> latest = new ArrayList<>(entries.size() - skip);
        for (Entry<F> entry : entries) {
            if (skip > 0) {
                skip--;
            } else {
                latest.add(entry.frame());
            }
        }
        return latest;
    }
}
