package dev.quarkchat.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The connections of each user on a single instance ({@code chat.backplane=none}). */
public final class MemoryUserConnections implements UserConnections {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * A user is in the map exactly while it holds a connection. The sets are immutable and replaced
     * whole: most users hold one connection, and a set of one is a fraction of a hash set's size.
     */
    private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Boolean> admit(String user, String connectionId, int limit) {
        boolean[] admitted = new boolean[1];
        byUser.compute(
                user,
                (name, held) -> {
                    Set<String> current = held == null ? Set.of() : held;
                    admitted[0] = current.contains(connectionId) || current.size() < limit;
                    return admitted[0] ? with(current, connectionId) : held;
                });
        return CompletableFuture.completedFuture(admitted[0]);
    }

    @Override
    public CompletionStage<Void> release(String user, String connectionId) {
        byUser.computeIfPresent(
                user,
                (name, held) -> {
                    Set<String> left = new HashSet<>(held);
                    left.remove(connectionId);
                    return left.isEmpty() ? null : Set.copyOf(left);
                });
        return DONE;
    }

    /** Nothing to do: this instance's connections are all there are, and nothing loses them. */
    @Override
    public CompletionStage<Void> refresh(String user, Collection<String> connectionIds) {
        return DONE;
    }

    @Override
    public Optional<Duration> refreshInterval() {
        return Optional.empty();
    }

    private static Set<String> with(Set<String> held, String connectionId) {
        if (held.contains(connectionId)) {
            return held;
        }
        Set<String> grown = new HashSet<>(held);
        grown.add(connectionId);
        return Set.copyOf(grown);
    }
}
