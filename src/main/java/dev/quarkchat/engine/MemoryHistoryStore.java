package dev.quarkchat.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The history of the rooms this instance serves, in memory: the last {@code chat.history.size}
 * messages of each room's current epoch. A room's history is dropped with its epoch, when its last
 * member leaves.
 */
public final class MemoryHistoryStore implements HistoryStore {

    private final int capacity;
    private final Map<String, Window> rooms = new ConcurrentHashMap<>();

    /** The messages of one epoch of a room. */
    private record Window(String epoch, RoomHistory<String> messages) {}

    public MemoryHistoryStore(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void keep(String room, StreamPosition position, String frame) {
        Window window = rooms.get(room);
        if (window == null || !window.epoch().equals(position.epoch())) {
            window = new Window(position.epoch(), new RoomHistory<>(capacity));
            rooms.put(room, window);
        }
        window.messages().keep(position.seq(), frame);
    }

    @Override
    public Optional<String> held(String room, StreamPosition position) {
        Window window = rooms.get(room);
        return window != null && window.epoch().equals(position.epoch())
                ? window.messages().held(position.seq())
                : Optional.empty();
    }

    @Override
    public void replace(String room, StreamPosition position, String frame) {
        Window window = rooms.get(room);
        if (window != null && window.epoch().equals(position.epoch())) {
            window.messages().replace(position.seq(), frame);
        }
    }

    @Override
    public void rewriteAll(String room, String epoch, UnaryOperator<String> rewrite) {
        Window window = rooms.get(room);
        if (window != null && window.epoch().equals(epoch)) {
            window.messages().rewriteAll(rewrite);
        }
    }

    @Override
    public CompletionStage<HistorySnapshot> read(
            String room, StreamPosition top, Optional<StreamPosition> since, int latest) {
        Window window = rooms.get(room);
        RoomHistory<String> messages =
                window != null && window.epoch().equals(top.epoch())
                        ? window.messages()
                        : new RoomHistory<>(0);
        Optional<List<String>> missed =
                since.filter(from -> from.epoch().equals(top.epoch()))
                        .flatMap(from -> messages.after(from.seq(), top.seq()));
        return CompletableFuture.completedFuture(
                new HistorySnapshot(
                        top.epoch(),
                        top.seq(),
                        missed.orElseGet(() -> messages.latest(latest)),
                        missed.isPresent()));
    }

    @Override
    public CompletionStage<HistoryPage> page(
            String room, StreamPosition top, long before, int limit) {
        Window window = rooms.get(room);
        RoomHistory<String> messages =
                window != null && window.epoch().equals(top.epoch())
                        ? window.messages()
                        : new RoomHistory<>(0);
        List<String> page = messages.before(before, limit);
        long firstSeq = messages.firstSeq(top.seq());
        long pageStart = Math.min(before, top.seq() + 1) - page.size();
        return CompletableFuture.completedFuture(
                new HistoryPage(top.epoch(), firstSeq, page, pageStart > firstSeq));
    }

    @Override
    public long count(String room, String epoch, long after, long top, Predicate<String> counted) {
        Window window = rooms.get(room);
        return window != null && window.epoch().equals(epoch)
                ? window.messages().count(after, top, counted)
                : 0;
    }

    @Override
    public void forget(String room, String epoch) {
        rooms.computeIfPresent(
                room, (name, window) -> window.epoch().equals(epoch) ? null : window);
    }
}
