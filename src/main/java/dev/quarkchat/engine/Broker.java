package dev.quarkchat.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The ordering and fan-out of rooms: gives each message its room's next {@code seq}, hands it to
 * every subscriber of the room (on every instance) in that order, and reads the room's recent
 * history from a position. Every operation answers without blocking; one that cannot be carried out
 * fails with {@link EngineUnavailableException}.
 */
public interface Broker {

    /**
     * Starts the broker.
     *
     * @param streamResumed run each time this instance's stream of events comes back after a break,
     *     when any room may have missed events and should catch up from its history
     */
    void start(Runnable streamResumed);

    /**
     * Hands the room's events to {@code events} until the subscription is closed; one subscriber
     * per room on an instance, a later one replacing the earlier. Events of one room come one at a
     * time, in the room's order.
     */
    Subscription subscribe(String room, Consumer<RoomEvent> events);

    /**
     * Gives the post the room's next seq, keeps it in the room's history and publishes it, unless
     * its id was already posted by that user in the room's current epoch: then nothing is posted
     * and that post is answered. The id is looked up in the same step that gives the seq, so two
     * racing sends with one id post it once. An engine that keeps a room only while it has members
     * fails with {@link UnknownRoomException} for a room with none.
     */
    CompletionStage<Appended> publish(Post post);

    /**
     * Rewrites a stored message as {@code amendment} decides from it, and publishes the event of
     * the change at the room's next position, like a message, in one step; a position that holds no
     * message of the room's current epoch is refused as {@link Amendment.Refusal#UNKNOWN_MESSAGE}.
     */
    CompletionStage<Amendment.Outcome> amend(Amendment amendment);

    /**
     * Where the room stands, with the messages after {@code since} if all are held and in the same
     * epoch, else the latest {@code latest}. A room unknown to the broker starts a new epoch at seq
     * 0.
     */
    CompletionStage<HistorySnapshot> history(
            String room, Optional<StreamPosition> since, int latest);

    /**
     * Up to {@code limit} messages of the room's current epoch with a seq below {@code before},
     * oldest first, for a member scrolling back.
     */
    CompletionStage<HistoryPage> page(String room, long before, int limit);

    /**
     * How many messages a reader has not read: those of {@code read}'s epoch after its seq, up to
     * {@code top}, that are still held, not deleted and not the reader's own. Edits and deletions
     * hold positions of their own and are not counted; of those, the ones whose text mentions the
     * reader ({@link dev.quarkchat.protocol.Mentions}). None if the room is no longer in that
     * epoch.
     */
    CompletionStage<Unread> unread(String room, StreamPosition read, long top, String reader);

    /**
     * Where the room's sequence stands, its epoch and the seq of its latest message; empty if the
     * engine holds nothing of the room. Unlike the other reads, it never makes the room.
     */
    CompletionStage<Optional<StreamPosition>> position(String room);

    /** Whether operations can be carried out now, in every room. */
    boolean available();

    /**
     * The parts of a shared engine this instance cannot reach now (Redis shards, by name), whose
     * rooms' operations fail meanwhile; empty when every part is reachable.
     */
    default List<String> unreachableShards() {
        return List.of();
    }

    /**
     * How often rooms should check whether they have to catch up (a gap was seen in their stream,
     * or a catch-up failed); empty for a broker whose stream cannot break.
     */
    Optional<Duration> catchUpInterval();

    /** A room's subscription. */
    interface Subscription {
        /** Stops handing events; the broker may forget a room that nobody subscribes to. */
        void close();

        /**
         * Done once every event the room publishes from now on reaches the subscriber: a join's
         * snapshot taken after it misses nothing between the snapshot and the live stream.
         */
        default CompletionStage<Void> ready() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
