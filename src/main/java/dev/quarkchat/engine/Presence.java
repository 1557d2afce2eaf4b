package dev.quarkchat.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Who is in which room, on any instance: one entry per user and instance, so a user is counted and
 * announced once however many connections it has. Joins and leaves are announced in the room's
 * event stream ({@link RoomEvent.Joined}, {@link RoomEvent.Left}), which the {@link Broker} hands
 * to the subscribers.
 */
public interface Presence {

    /** Asks {@link #join} or {@link #members} for every member's name, not only the first ones. */
    int ALL_NAMES = 0;

    /**
     * Puts the user in the room for this instance and lists its members. The list and the {@link
     * RoomEvent.Joined} event with {@code connectionId} are made in one step, so the event marks
     * exactly which presence events happened after the list.
     *
     * @param maxNames how many names to list at most, or {@link #ALL_NAMES}
     */
    CompletionStage<Members> join(String room, String user, String connectionId, int maxNames);

    /** Lists the room's members without changing them. */
    CompletionStage<Members> members(String room, int maxNames);

    /**
     * A page of the room's members ordered by name: at most {@code maxNames} of those whose name
     * sorts after {@code after} (all for an empty one), with the room's member count.
     */
    CompletionStage<Members> membersAfter(String room, String after, int maxNames);

    /**
     * A page of the rooms that have members, on any instance, ordered by name: at most {@code
     * limit} of those whose name sorts after {@code after} (all for an empty one). A room whose
     * last member just left may still be listed for a while.
     */
    CompletionStage<List<String>> rooms(String after, int limit);

    /**
     * Keeps rooms with members on this instance in the list of {@link #rooms}: called when a room
     * gets its first member here, and at every {@link #refreshInterval}.
     */
    CompletionStage<Void> keepListed(Collection<String> rooms);

    /** Takes this instance's entry of the user out of the room: its last connection here left. */
    CompletionStage<Void> leave(String room, String user);

    /**
     * Tells the room's members, on every instance, that the user is typing ({@link
     * RoomEvent.Typing}), in its place among the room's events; nothing is kept but the throttle.
     * Each instance's rooms throttle their own connections; an engine shared by instances also
     * passes at most one such event per {@code interval} for a user and room, whichever instance
     * asks.
     */
    CompletionStage<Void> typing(String room, String user, Duration interval);

    /**
     * Tells the user's other connections in the room, on every instance, that its read position
     * moved to {@code seq} by {@code connectionId} ({@link RoomEvent.Read}); {@link ReadPositions}
     * keeps the position.
     */
    CompletionStage<Void> read(String room, String user, String connectionId, long seq);

    /** Keeps this instance's users present in the room, putting back entries the store lost. */
    CompletionStage<Void> refresh(String room, Collection<String> users);

    /** How often {@link #refresh} must run; empty if entries live until they are left. */
    Optional<Duration> refreshInterval();
}
