package dev.quarkchat.room;

import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.Memberships;
import dev.quarkchat.engine.ReadPositions;
import dev.quarkchat.protocol.ServerFrames.ListedRoom;
import dev.quarkchat.protocol.StoredMessage;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A user's room list: the rooms it belongs to, each with where its sequence stands, where the user
 * stopped reading, how many messages of others came after, and the latest message, so that a client
 * can show them all without joining them.
 */
@ApplicationScoped
public class RoomList {

    /** How far back the latest message is looked for, past edits and deletions at the top. */
    private static final int LATEST_LOOKED_AT = 10;

    private final Broker broker;
    private final ReadPositions readPositions;
    private final Memberships memberships;

    RoomList(Broker broker, ReadPositions readPositions, Memberships memberships) {
        this.broker = broker;
        this.readPositions = readPositions;
        this.memberships = memberships;
    }

    /** The user's rooms, joined most recently first. */
    public CompletionStage<List<ListedRoom>> of(String user) {
        return memberships
                .list(user)
                .thenCompose(
                        listed -> {
                            List<CompletableFuture<ListedRoom>> entries =
                                    listed.stream()
                                            .map(
                                                    membership ->
                                                            entry(user, membership)
                                                                    .toCompletableFuture())
                                            .toList();
                            return CompletableFuture.allOf(
                                            entries.toArray(CompletableFuture<?>[]::new))
                                    .thenApply(
                                            done ->
                                                    entries.stream()
                                                            .map(CompletableFuture::join)
                                                            .toList());
                        });
    }

    /** One room of the user's list; a room the engine holds nothing of stands at 0. */
    public CompletionStage<ListedRoom> entry(String user, Memberships.Membership membership) {
        String room = membership.room();
        return broker.position(room)
                .thenCompose(
                        top -> {
                            if (top.isEmpty()) {
                                return CompletableFuture.completedFuture(
                                        new ListedRoom(
                                                room,
                                                membership.peer(),
                                                0,
                                                0,
                                                0,
                                                0,
                                                Optional.empty()));
                            }
                            return readPositions
                                    .position(room, user)
                                    .thenCompose(
                                            read ->
                                                    Readings.at(
                                                            broker, room, user, top.get(), read))
                                    .thenCombine(
                                            latest(room),
                                            (reading, last) ->
                                                    new ListedRoom(
                                                            room,
                                                            membership.peer(),
                                                            top.get().seq(),
                                                            reading.readSeq(),
                                                            reading.unread(),
                                                            reading.mentions(),
                                                            last));
                        });
    }

    /**
     * The room's latest message that is not deleted; none if the top of its history holds only
     * edits and deletions, or the room went away meanwhile.
     */
    private CompletionStage<Optional<String>> latest(String room) {
        return broker.page(room, Long.MAX_VALUE, LATEST_LOOKED_AT)
                .handle(
                        (page, failure) -> {
                            if (failure != null) {
                                return Optional.empty();
                            }
                            List<String> frames = page.frames();
                            for (int i = frames.size() - 1; i >= 0; i--) {
                                String frame = frames.get(i);
                                if (StoredMessage.read(frame)
                                        .filter(message -> !message.deleted())
                                        .isPresent()) {
                                    return Optional.of(frame);
                                }
                            }
                            return Optional.empty();
                        });
    }
}
