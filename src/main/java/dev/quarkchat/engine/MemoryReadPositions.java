package dev.quarkchat.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Read positions of a single instance, at most {@code capacity} of them: past it, the position
 * moved least recently is forgotten, and its user finds the room unread from its first held
 * message. A room of the memory engine starts a new epoch once its last member left, which makes
 * its old positions meaningless anyway.
 */
public final class MemoryReadPositions implements ReadPositions {

    private final Map<Key, StreamPosition> positions;

    private record Key(String room, String user) {}

    public MemoryReadPositions(int capacity) {
        this.positions =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Key, StreamPosition> eldest) {
                        return size() > capacity;
                    }
                };
    }

    @Override
    public synchronized CompletionStage<Optional<StreamPosition>> position(
            String room, String user) {
        return CompletableFuture.completedFuture(
                Optional.ofNullable(positions.get(new Key(room, user))));
    }

    @Override
    public synchronized CompletionStage<Boolean> advance(
            String room, String user, StreamPosition position) {
        Key key = new Key(room, user);
        StreamPosition kept = positions.get(key);
        boolean moves =
                kept == null
                        || !kept.epoch().equals(position.epoch())
                        || kept.seq() < position.seq();
        if (moves) {
            positions.put(key, position);
        }
        return CompletableFuture.completedFuture(moves);
    }
}
