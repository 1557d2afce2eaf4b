package dev.quarkchat.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Carries the events of rooms whose order a store already decided (messages it committed, with
 * their seq) to every instance: within this process, or through Redis. Presence events travel the
 * same way, so that they keep their place among the messages.
 */
public interface Fanout {

    /**
     * Starts carrying: every event of a room this instance listens to, from any instance, is handed
     * to {@code events}.
     *
     * @param streamResumed run each time the stream comes back after a break
     */
    void start(Consumer<RoomEvent> events, Runnable streamResumed);

    /**
     * Carries the room's events to this instance from now on, where the carrier chooses by room;
     * done once it does.
     */
    CompletionStage<Void> listen(String room);

    /** This instance needs the room's events no more. */
    void stopListening(String room);

    /**
     * Hands the message to every instance; messages one instance publishes arrive in the order it
     * published them.
     */
    CompletionStage<Void> publish(RoomEvent.Message message);

    /** Whether events can be carried now, in every room. */
    boolean available();

    /** Whether the room's events can be carried now. */
    default boolean available(String room) {
        return available();
    }

    /** As {@link Broker#unreachableShards()}. */
    default List<String> unreachableShards() {
        return List.of();
    }

    /** How often rooms should check whether they must catch up; see {@link Broker}. */
    Optional<Duration> catchUpInterval();
}
