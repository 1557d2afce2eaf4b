package dev.quarkchat.endpoint;

import dev.quarkchat.auth.ConnectionHandshake;
import dev.quarkchat.auth.RoomAccess;
import dev.quarkchat.auth.TokenRefresh;
import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.Memberships;
import dev.quarkchat.lifecycle.TokenExpiry;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.DisconnectReason;
import dev.quarkchat.moderation.Bans;
import dev.quarkchat.moderation.Moderation;
import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.CloseCodes;
import dev.quarkchat.protocol.CommandDecoder;
import dev.quarkchat.protocol.ErrorCode;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.RejectedFrameException;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.room.DirectConversations;
import dev.quarkchat.room.DirectRooms;
import dev.quarkchat.room.RoomList;
import dev.quarkchat.room.RoomRegistry;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.ChatSessions;
import dev.quarkchat.session.ConnectionLimit;
import dev.quarkchat.session.FrameSender;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What happens on each connection event: the WebSocket endpoint hands every event here. Bad input
 * is answered with an {@code error} frame and never disturbs the other members.
 */
@ApplicationScoped
public class ChatService {

    private static final Logger LOG = Logger.getLogger(ChatService.class);

    private final ChatSessions sessions;
    private final ConnectionLimit connectionLimit;
    private final RoomRegistry rooms;
    private final RoomList roomList;
    private final DirectConversations directs;
    private final FrameSender sender;
    private final ChatMetrics metrics;
    private final RoomAccess access;
    private final CommandDecoder decoder;
    private final TokenRefresh tokenRefresh;
    private final TokenExpiry tokenExpiry;
    private final Bans bans;
    private final Optional<String> defaultRoom;
    private final int maxTextLength;
    private final long editWindowSeconds;
    private final Duration typingInterval;
    private final int maxRoomsPerConnection;
    private final int maxRateViolations;

    ChatService(
            ChatSessions sessions,
            ConnectionLimit connectionLimit,
            RoomRegistry rooms,
            RoomList roomList,
            DirectConversations directs,
            FrameSender sender,
            ChatMetrics metrics,
            RoomAccess access,
            TokenRefresh tokenRefresh,
            TokenExpiry tokenExpiry,
            Bans bans,
            ChatConfig config,
            HistoryConfig history) {
        this.sessions = sessions;
        this.connectionLimit = connectionLimit;
        this.rooms = rooms;
        this.roomList = roomList;
        this.directs = directs;
        this.sender = sender;
        this.metrics = metrics;
        this.access = access;
        this.tokenRefresh = tokenRefresh;
        this.tokenExpiry = tokenExpiry;
        this.bans = bans;
        this.decoder =
                new CommandDecoder(
                        config.maxTextLength(), config.maxJsonDepth(), history.pageMax());
        this.defaultRoom = config.defaultRoom();
        this.maxTextLength = config.maxTextLength();
        this.editWindowSeconds = config.editWindow().toSeconds();
        this.typingInterval = config.typingInterval();
        this.maxRoomsPerConnection = config.maxRoomsPerConnection();
        this.maxRateViolations = config.rateLimit().maxViolations();
    }

    /**
     * A signed-in user connected: once the connection is counted with its user's others, greet it
     * and put it in the default room.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // admission falls back, it never fails
    public void connected(WebSocketConnection connection) {
        ChatSession session =
                sessions.open(
                        connection,
                        ConnectionHandshake.transport(connection),
                        ConnectionHandshake.credentials(connection),
                        this::messageTooBig);
        metrics.connectionOpened();
        LOG.debugf("Connection %s opened for %s", connection.id(), LogSafe.escaped(session.user()));
        CompletableFuture<Boolean> admission = connectionLimit.admit(session).toCompletableFuture();
        if (admission.isDone()) {
            // Counted on this instance alone: greeted before the client's next frame is read.
            greetIfAdmitted(session, admission.join());
        } else {
            admission.thenAccept(
                    admitted ->
                            session.afterQueuedWrites(() -> greetIfAdmitted(session, admitted)));
        }
    }

    /** Runs on the connection's event loop, as its callbacks do. */
    private void greetIfAdmitted(ChatSession session, boolean admitted) {
        if (sessions.find(session.connection()).isEmpty()) {
            // It ended while being counted, perhaps after its release: release it again.
            connectionLimit.release(session);
            return;
        }
        if (!admitted) {
            sender.close(
                    session,
                    DisconnectReason.ABUSE,
                    CloseCodes.POLICY_VIOLATION,
                    "too many connections for this user (at most " + connectionLimit.limit() + ")");
            return;
        }
        Instant now = Instant.now();
        if (bans.bannedFromChat(session.user(), now)) {
            // Banned while the upgrade was under way, after the handshake's check.
            sender.close(
                    session, DisconnectReason.MODERATOR, CloseCodes.BANNED, Moderation.BANNED_TEXT);
            return;
        }
        sender.send(
                session,
                ServerFrames.welcome(
                        session.user(), maxTextLength, editWindowSeconds, typingInterval));
        tokenExpiry.noticeIfDue(session);
        sendRoomList(session, Optional.empty());
        defaultRoom.ifPresent(
                room -> {
                    if (bans.bannedFrom(session.user(), room, now)) {
                        sender.refuse(
                                session, ErrorCode.BANNED, bannedFrom(room), Optional.empty());
                    } else {
                        rooms.join(session, listed(room), Optional.empty(), Optional.empty());
                    }
                });
    }

    /** A complete text message arrived (continuation frames already reassembled). */
    public void received(WebSocketConnection connection, String frame) {
        long receivedAt = System.nanoTime();
        metrics.messageReceived();
        Optional<ChatSession> session = sessions.find(connection);
        if (session.isEmpty()) {
            return; // the socket is already closing
        }
        session.get().markSeen();
        int violations = session.get().rateViolationsAfterFrame(receivedAt);
        if (violations > maxRateViolations) {
            sender.close(
                    session.get(),
                    DisconnectReason.ABUSE,
                    CloseCodes.POLICY_VIOLATION,
                    "rate limit exceeded");
            return;
        }
        if (violations > 0) {
            // Only the id is read: decoding the rest is the work the rate limit saves.
            sender.refuse(
                    session.get(),
                    ErrorCode.RATE_LIMITED,
                    "slow down: too many frames per second",
                    decoder.idOf(frame));
            return;
        }
        try {
            execute(session.get(), decoder.decode(frame), receivedAt);
        } catch (RejectedFrameException rejected) {
            sender.refuse(session.get(), rejected.code(), rejected.getMessage(), rejected.ref());
        } catch (RuntimeException unexpected) {
            LOG.errorf(unexpected, "Failed to handle a frame on connection %s", connection.id());
            sender.refuse(
                    session.get(),
                    ErrorCode.INTERNAL_ERROR,
                    "the server failed to handle this frame",
                    decoder.idOf(frame));
        }
    }

    /**
     * The client sent a message over {@code quarkus.websockets-next.server.max-message-size}, or a
     * frame over {@code max-frame-size}: the socket has stopped reading, so the connection ends
     * with 1009 at once.
     */
    void messageTooBig(ChatSession session) {
        LOG.debugf("Connection %s sent a message over the size limit", session.id());
        sender.closeUnread(
                session,
                DisconnectReason.PROTOCOL_VIOLATION,
                CloseCodes.MESSAGE_TOO_BIG,
                "message too big");
    }

    /** A pong answered the server's ping: the client is alive. */
    public void ponged(WebSocketConnection connection) {
        sessions.find(connection).ifPresent(ChatSession::markSeen);
    }

    /** A binary message arrived: the protocol has none, so the connection is closed with 1003. */
    public void receivedBinary(WebSocketConnection connection) {
        sessions.find(connection)
                .ifPresent(
                        session ->
                                sender.close(
                                        session,
                                        DisconnectReason.PROTOCOL_VIOLATION,
                                        CloseCodes.UNSUPPORTED_DATA,
                                        "binary frames are not supported, send JSON text"));
    }

    /** The transport failed on this connection (oversized message, bad frame, reset). */
    public void transportFailed(WebSocketConnection connection, Throwable failure) {
        TransportErrors.CloseDecision decision = TransportErrors.classify(failure);
        if (decision.unexpected()) {
            LOG.warnf(failure, "Unexpected transport failure on connection %s", connection.id());
        } else {
            LOG.debugf(
                    "Transport failure on connection %s (%s): %s",
                    connection.id(), decision.text(), failure.toString());
        }
        decision.closeWith()
                .ifPresent(
                        reason ->
                                sessions.find(connection)
                                        .ifPresent(
                                                session ->
                                                        sender.close(
                                                                session,
                                                                reason,
                                                                decision.code(),
                                                                decision.text())));
    }

    /** The socket is gone: the user leaves every room it was in and no state of it remains. */
    public void disconnected(WebSocketConnection connection, CloseReason closeReason) {
        sessions.close(connection)
                .ifPresent(
                        session -> {
                            DisconnectReason reason =
                                    session.serverEndReason()
                                            .orElseGet(() -> clientSide(closeReason));
                            LOG.debugf("Connection %s closed: %s", connection.id(), reason.label());
                            metrics.connectionClosed(reason);
                            connectionLimit.release(session);
                            rooms.leaveAll(session);
                        });
    }

    private void execute(ChatSession session, ClientCommand command, long receivedAt)
            throws RejectedFrameException {
        if (command instanceof ClientCommand.Join join) {
            if (DirectRooms.isDirect(join.room())) {
                throw new RejectedFrameException(
                        ErrorCode.FORBIDDEN,
                        "room "
                                + join.room()
                                + " is a direct conversation: its users open it with dm",
                        join.id());
            }
            if (!access.mayJoin(session.credentials(), join.room())) {
                throw new RejectedFrameException(
                        ErrorCode.FORBIDDEN,
                        "room " + join.room() + " is private and your token does not grant it",
                        join.id());
            }
            checkMayEnter(session, join.room(), join.id());
            rooms.join(session, listed(join.room()), join.recovery(), join.id());
        } else if (command instanceof ClientCommand.Dm dm) {
            if (dm.user().equals(session.user())) {
                throw new RejectedFrameException(
                        ErrorCode.INVALID_USER,
                        "a direct conversation is with another user",
                        dm.id());
            }
            checkMayEnter(session, DirectRooms.nameOf(session.user(), dm.user()), dm.id());
            directs.open(session, dm.user(), dm.recovery(), dm.id());
        } else if (command instanceof ClientCommand.Rooms list) {
            sendRoomList(session, list.id());
        } else if (command instanceof ClientCommand.Leave leave) {
            if (!rooms.leave(session, leave.room(), leave.id())) {
                throw notJoined(leave.room(), leave.id());
            }
        } else if (command instanceof ClientCommand.Send send) {
            if (!rooms.post(session, send.room(), send.text(), send.id(), receivedAt)) {
                throw notJoined(send.room(), send.id());
            }
        } else if (command instanceof ClientCommand.Typing typing) {
            if (!rooms.typing(session, typing.room())) {
                throw notJoined(typing.room(), typing.id());
            }
        } else if (command instanceof ClientCommand.Read read) {
            if (!rooms.read(session, read.room(), read.seq(), read.id())) {
                throw notJoined(read.room(), read.id());
            }
        } else if (command instanceof ClientCommand.React react) {
            if (!rooms.react(
                    session, react.room(), react.seq(), react.emoji(), react.on(), react.id())) {
                throw notJoined(react.room(), react.id());
            }
        } else if (command instanceof ClientCommand.Edit edit) {
            if (!rooms.edit(session, edit.room(), edit.seq(), edit.text(), edit.id())) {
                throw notJoined(edit.room(), edit.id());
            }
        } else if (command instanceof ClientCommand.Delete delete) {
            if (!rooms.delete(session, delete.room(), delete.seq(), delete.id())) {
                throw notJoined(delete.room(), delete.id());
            }
        } else if (command instanceof ClientCommand.History history) {
            if (!rooms.history(
                    session, history.room(), history.before(), history.limit(), history.id())) {
                throw notJoined(history.room(), history.id());
            }
        } else if (command instanceof ClientCommand.Refresh refresh) {
            tokenRefresh.refresh(session, refresh);
        }
    }

    /** Refuses a room the user is banned from, or one more room than a connection may be in. */
    private void checkMayEnter(ChatSession session, String room, Optional<String> id)
            throws RejectedFrameException {
        if (bans.bannedFrom(session.user(), room, Instant.now())) {
            throw new RejectedFrameException(ErrorCode.BANNED, bannedFrom(room), id);
        }
        if (session.rooms().size() >= maxRoomsPerConnection && !session.rooms().contains(room)) {
            throw new RejectedFrameException(
                    ErrorCode.TOO_MANY_ROOMS,
                    "at most " + maxRoomsPerConnection + " rooms per connection: leave one first",
                    id);
        }
    }

    /**
     * Sends the user's room list, without the rooms it is banned from now, or {@code unavailable}
     * if the engines cannot tell it now.
     */
    private void sendRoomList(ChatSession session, Optional<String> id) {
        roomList.of(session.user())
                .whenComplete(
                        (listed, failure) -> {
                            if (failure == null) {
                                Instant now = Instant.now();
                                List<ServerFrames.ListedRoom> allowed =
                                        listed.stream()
                                                .filter(
                                                        entry ->
                                                                !bans.bannedFrom(
                                                                        session.user(),
                                                                        entry.room(),
                                                                        now))
                                                .toList();
                                sender.send(session, ServerFrames.rooms(allowed, id));
                            } else {
                                sender.refuse(
                                        session,
                                        ErrorCode.UNAVAILABLE,
                                        "no room list: the backplane or the store is unreachable,"
                                                + " try again shortly",
                                        id);
                            }
                        });
    }

    private static Memberships.Membership listed(String room) {
        return new Memberships.Membership(room, Optional.empty());
    }

    /**
     * Why a connection the server did not end has ended: a close frame from the client, or none at
     * all.
     */
    private static DisconnectReason clientSide(CloseReason closeReason) {
        boolean withoutCloseFrame =
                closeReason == null
                        || closeReason.getCode() == CloseReason.ABNORMAL.getCode()
                        || closeReason.getCode() == CloseReason.EMPTY.getCode();
        return withoutCloseFrame
                ? DisconnectReason.CONNECTION_LOST
                : DisconnectReason.CLIENT_CLOSED;
    }

    private static String bannedFrom(String room) {
        return "a moderator banned you from room " + room;
    }

    private static RejectedFrameException notJoined(String room, Optional<String> id) {
        return new RejectedFrameException(ErrorCode.NOT_JOINED, "join room " + room + " first", id);
    }
}
