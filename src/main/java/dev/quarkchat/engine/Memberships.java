package dev.quarkchat.engine;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The rooms each user belongs to (joined and not left), for the room list it gets on connect: in
 * this instance's memory, in Redis with the backplane, or in PostgreSQL with the durable store.
 * Each user's list holds at most a bounded number of rooms; joining one more drops the one joined
 * least recently. Operations fail with {@link EngineUnavailableException} while the store is
 * unreachable.
 */
public interface Memberships {

    /**
     * A room in a user's list.
     *
     * @param peer the other user, for a direct conversation
     */
    record Membership(String room, Optional<String> peer) {}

    /**
     * Puts the room at the top of the user's list (again, if it was there).
     *
     * @return whether it was not in the list before
     */
    CompletionStage<Boolean> add(String user, Membership membership);

    /** Takes the room out of the user's list. */
    CompletionStage<Void> remove(String user, String room);

    /** The user's rooms, joined most recently first. */
    CompletionStage<List<Membership>> list(String user);
}
