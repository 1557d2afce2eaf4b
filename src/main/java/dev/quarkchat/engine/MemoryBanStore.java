package dev.quarkchat.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bans of a single instance without a durable store: in memory, so they last as long as the
 * process.
 */
public final class MemoryBanStore implements BanStore {

    private final Map<Ban.Key, Ban> bans = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> put(Ban ban) {
        bans.put(ban.key(), ban);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<Ban>> lift(String user, Optional<String> room, Instant now) {
        List<Ban> lifted = new ArrayList<>();
        bans.values()
                .removeIf(
                        ban -> {
                            boolean matches =
                                    ban.user().equals(user)
                                            && (room.isEmpty() || ban.room().equals(room));
                            if (matches && ban.appliesAt(now)) {
                                lifted.add(ban);
                            }
                            return matches;
                        });
        return CompletableFuture.completedFuture(lifted);
    }

    @Override
    public CompletionStage<List<Ban>> active(Instant now) {
        bans.values().removeIf(ban -> !ban.appliesAt(now));
        return CompletableFuture.completedFuture(List.copyOf(bans.values()));
    }
}
