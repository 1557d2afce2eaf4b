package dev.quarkchat.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The fan-out of a single instance ({@code chat.backplane=none}): an event is handed to the rooms
 * before {@link #publish} returns. {@link MemoryPresence} announces through it too.
 */
public final class LocalFanout implements Fanout {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private volatile Consumer<RoomEvent> events = event -> {};

    @Override
    public void start(Consumer<RoomEvent> events, Runnable streamResumed) {
        // The stream never breaks: nothing to resume.
        this.events = events;
    }

    @Override
    public CompletionStage<Void> listen(String room) {
        return DONE; // every room's events are here already
    }

    @Override
    public void stopListening(String room) {}

    @Override
    public CompletionStage<Void> publish(RoomEvent.Message message) {
        events.accept(message);
        return DONE;
    }

    /** Hands a presence event to the rooms. */
    public void announce(RoomEvent event) {
        events.accept(event);
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public Optional<Duration> catchUpInterval() {
        return Optional.empty();
    }
}
