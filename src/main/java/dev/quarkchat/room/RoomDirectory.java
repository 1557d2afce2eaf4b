package dev.quarkchat.room;

import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.HistoryPage;
import dev.quarkchat.engine.Members;
import dev.quarkchat.engine.Presence;
import dev.quarkchat.engine.StreamPosition;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a backend may read of the rooms, on any instance, from the engines {@link RoomEngines}
 * chose: which rooms have members, one room's members and position, its history. Nothing here makes
 * a room: a room the engines hold nothing of is unknown.
 */
@ApplicationScoped
public class RoomDirectory {

    private final Broker broker;
    private final Presence presence;

    RoomDirectory(Broker broker, Presence presence) {
        this.broker = broker;
        this.presence = presence;
    }

    /** A room and how many users are in it. */
    public record Occupancy(String room, int memberCount) {}

    /**
     * A page of {@link #rooms}.
     *
     * @param next where the next page starts, if there may be one
     */
    public record RoomsPage(List<Occupancy> rooms, Optional<String> next) {}

    /**
     * A room as the engines know it.
     *
     * @param position where its sequence stands; empty if no message is held (members only)
     * @param members a page of its members, by name, and their count
     */
    public record Details(Optional<StreamPosition> position, Members members) {}

    /**
     * Up to {@code limit} rooms with members, by name, after {@code after} (from the first for an
     * empty one). A room whose last member just left is left out, so a page may hold fewer.
     */
    public CompletionStage<RoomsPage> rooms(String after, int limit) {
        return presence.rooms(after, limit)
                .thenCompose(
                        names -> {
                            List<CompletableFuture<Members>> counts = new ArrayList<>(names.size());
                            for (String name : names) {
                                counts.add(presence.members(name, 1).toCompletableFuture());
                            }
                            return CompletableFuture.allOf(
                                            counts.toArray(new CompletableFuture<?>[0]))
                                    .thenApply(
                                            done -> {
                                                List<Occupancy> rooms = new ArrayList<>();
                                                for (int i = 0; i < names.size(); i++) {
                                                    int count = counts.get(i).join().count();
                                                    if (count > 0) {
                                                        rooms.add(
                                                                new Occupancy(names.get(i), count));
                                                    }
                                                }
                                                Optional<String> next =
                                                        names.size() < limit
                                                                ? Optional.empty()
                                                                : Optional.of(
                                                                        names.get(
                                                                                names.size() - 1));
                                                return new RoomsPage(rooms, next);
                                            });
                        });
    }

    /**
     * The room's position and up to {@code memberLimit} of its members by name after {@code
     * membersAfter}; empty if the engines hold neither messages nor members of it.
     */
    public CompletionStage<Optional<Details>> room(
            String room, String membersAfter, int memberLimit) {
        CompletionStage<Members> members = presence.membersAfter(room, membersAfter, memberLimit);
        return broker.position(room)
                .thenCombine(
                        members,
                        (position, page) ->
                                position.isEmpty() && page.count() == 0
                                        ? Optional.<Details>empty()
                                        : Optional.of(new Details(position, page)));
    }

    /**
     * Up to {@code limit} of the room's messages with a seq below {@code before}, oldest first, as
     * a member's {@code history} frame reads them; empty for a room the engines do not hold.
     */
    public CompletionStage<Optional<HistoryPage>> page(String room, long before, int limit) {
        return broker.position(room)
                .thenCompose(
                        position ->
                                position.isEmpty()
                                        ? CompletableFuture.completedFuture(
                                                Optional.<HistoryPage>empty())
                                        : broker.page(room, before, limit).thenApply(Optional::of));
    }
}
