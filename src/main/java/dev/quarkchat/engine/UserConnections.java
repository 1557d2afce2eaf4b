package dev.quarkchat.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The connections each user holds, on every instance, so that a limit on them holds for the whole
 * service and not for each instance apart. Connections are known by their ids, which no two
 * connections share on any instance.
 */
public interface UserConnections {

    /**
     * Counts the connection if the user holds fewer than {@code limit} others; answers whether it
     * counted it. A connection already counted is counted once.
     */
    CompletionStage<Boolean> admit(String user, String connectionId, int limit);

    /** Stops counting the connection; nothing happens if it was not counted. */
    CompletionStage<Void> release(String user, String connectionId);

    /**
     * Keeps this instance's connections of the user counted, putting back any the store lost; an
     * engine shared by instances forgets the connections of an instance that stops refreshing.
     */
    CompletionStage<Void> refresh(String user, Collection<String> connectionIds);

    /** How often {@link #refresh} must run; empty if connections count until released. */
    Optional<Duration> refreshInterval();
}
