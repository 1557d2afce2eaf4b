package dev.quarkchat.room;

import dev.quarkchat.engine.Memberships;
import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.UserNotices;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Direct conversations between two users: a room of their own ({@link DirectRooms}) in both their
 * lists, each naming the other. Whoever of them finds it new in their list hears of it on every
 * connection at once, with a {@code room} frame, so that it appears without a reload.
 */
@ApplicationScoped
public class DirectConversations {

    private static final Logger LOG = Logger.getLogger(DirectConversations.class);

    private final RoomRegistry rooms;
    private final Memberships memberships;
    private final RoomList roomList;
    private final UserNotices notices;

    DirectConversations(
            RoomRegistry rooms, Memberships memberships, RoomList roomList, UserNotices notices) {
        this.rooms = rooms;
        this.memberships = memberships;
        this.roomList = roomList;
        this.notices = notices;
    }

    /**
     * Opens (or reopens) the conversation of the session's user with {@code other}, and puts the
     * session in its room as a {@code join} would.
     */
    public void open(
            ChatSession session,
            String other,
            Optional<ClientCommand.Recovery> recovery,
            Optional<String> id) {
        String user = session.user();
        String room = DirectRooms.nameOf(user, other);
        CompletionStage<Boolean> ownList =
                rooms.join(
                        session,
                        new Memberships.Membership(room, Optional.of(other)),
                        recovery,
                        id);
        CompletionStage<Boolean> othersList =
                memberships.add(other, new Memberships.Membership(room, Optional.of(user)));
        tellIfNew(ownList, user, new Memberships.Membership(room, Optional.of(other)));
        tellIfNew(othersList, other, new Memberships.Membership(room, Optional.of(user)));
    }

    private void tellIfNew(
            CompletionStage<Boolean> added, String user, Memberships.Membership membership) {
        added.thenCompose(
                        isNew ->
                                isNew
                                        ? roomList.entry(user, membership)
                                                .thenAccept(
                                                        entry ->
                                                                notices.tell(
                                                                        user,
                                                                        ServerFrames.room(entry)))
                                        : CompletableFuture.<Void>completedFuture(null))
                .whenComplete(
                        (done, failure) -> {
                            if (failure != null) {
                                LOG.debugf(
                                        "%s not told of %s: %s",
                                        LogSafe.escaped(user), membership.room(), failure);
                            }
                        });
    }
}
