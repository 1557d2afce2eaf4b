package dev.quarkchat.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The last messages of one run of a room's sequence, by {@code seq}, at most {@code capacity} of
 * them: what a returning client can recover. Not thread-safe: its store is called for one room at a
 * time.
 *
 * @param <F> the frame kept for each message
 */
public final class RoomHistory<F> {

    private final int capacity;
    private final Deque<Entry<F>> entries = new ArrayDeque<>();

    /** A message and its frame, which an edit or a deletion writes over. */
    private static final class Entry<F> {
        private final long seq;
        private F frame;

        private Entry(long seq, F frame) {
            this.seq = seq;
            this.frame = frame;
        }

        long seq() {
            return seq;
        }

        F frame() {
            return frame;
        }
    }

    public RoomHistory(int capacity) {
        this.capacity = capacity;
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

    /** The frame held for that seq, if it is still held. */
    public Optional<F> held(long seq) {
        return find(seq).map(Entry::frame);
    }

    /** Writes {@code frame} over the one held for that seq, if it is still held. */
    public void replace(long seq, F frame) {
        find(seq).ifPresent(entry -> entry.frame = frame);
    }

    /** Writes over every held frame what {@code rewrite} makes of it. */
    public void rewriteAll(UnaryOperator<F> rewrite) {
        for (Entry<F> entry : entries) {
            entry.frame = rewrite.apply(entry.frame);
        }
    }

    private Optional<Entry<F>> find(long seq) {
        // Seqs are held in order: outside the first and the last there is nothing to look for.
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        long first = entries.peekFirst().seq();
        long last = entries.peekLast().seq();
        if (seq < first || seq > last) {
            return Optional.empty();
        }
        var newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext()) {
            Entry<F> entry = newestFirst.next();
            if (entry.seq() == seq) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /**
     * Everything after {@code since}, in order, if all of it is still held; empty otherwise (then
     * the client needs a fresh view).
     *
     * @param lastSeq the seq of the room's latest message
     */
    public Optional<List<F>> after(long since, long lastSeq) {
        if (since > lastSeq) {
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

    /**
     * Up to {@code limit} messages with a seq below {@code before}, oldest first: the page before
     * that seq.
     */
    public List<F> before(long before, int limit) {
        ArrayDeque<F> page = new ArrayDeque<>(Math.min(limit, entries.size()));
        var newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext() && page.size() < limit) {
            Entry<F> entry = newestFirst.next();
            if (entry.seq() < before) {
                page.addFirst(entry.frame());
            }
        }
        return new ArrayList<>(page);
    }

    /** How many of the frames held with a seq after {@code after} and up to {@code top} match. */
    public long count(long after, long top, Predicate<F> counted) {
        long matching = 0;
        for (Entry<F> entry : entries) {
            if (entry.seq() > after && entry.seq() <= top && counted.test(entry.frame())) {
                matching++;
            }
        }
        return matching;
    }

    /** The seq of the oldest message held; {@code lastSeq + 1} when none is. */
    public long firstSeq(long lastSeq) {
        return entries.isEmpty() ? lastSeq + 1 : entries.peekFirst().seq();
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
