package dev.quarkchat.chat;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.CloseCodes;
import dev.quarkchat.protocol.CommandDecoder;
import dev.quarkchat.protocol.ErrorCode;
import dev.quarkchat.protocol.RejectedFrameException;
import dev.quarkchat.protocol.ServerFrames;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * What happens on each connection event: the WebSocket endpoint hands every event here. Bad input is
 * answered with an {@code error} frame and never disturbs the other members.
 */
@ApplicationScoped
public class ChatService {

    private static final Logger LOG = Logger.getLogger(ChatService.class);

    private final ChatSessions sessions;
    private final RoomRegistry rooms;
    private final FrameSender sender;
    private final CommandDecoder decoder;
    private final Optional<String> defaultRoom;

    ChatService(ChatSessions sessions, RoomRegistry rooms, FrameSender sender, ChatConfig config) {
        this.sessions = sessions;
        this.rooms = rooms;
        this.sender = sender;
        this.decoder = new CommandDecoder(config.maxTextLength());
        this.defaultRoom = config.defaultRoom();
    }

    /** A signed-in user connected: greet it and put it in the default room. */
    public void connected(WebSocketConnection connection, String user) {
        ChatSession session = sessions.open(connection, user);
        LOG.debugf("Connection %s opened for %s", connection.id(), user);
        sender.send(connection, ServerFrames.welcome(user));
        defaultRoom.ifPresent(room -> rooms.join(session, room, Optional.empty()));
    }

    /** A complete text message arrived (continuation frames already reassembled). */
    public void received(WebSocketConnection connection, String frame) {
        Optional<ChatSession> session = sessions.find(connection);
        if (session.isEmpty()) {
            return; // the socket is already closing
        }
        try {
            execute(session.get(), decoder.decode(frame));
        } catch (RejectedFrameException rejected) {
            sender.send(connection, ServerFrames.error(rejected.code(), rejected.getMessage(), rejected.ref()));
        } catch (RuntimeException unexpected) {
            LOG.errorf(unexpected, "Failed to handle a frame on connection %s", connection.id());
            sender.send(connection, ServerFrames.error(ErrorCode.INTERNAL_ERROR, "the server failed to handle this frame",
                    Optional.empty()));
        }
    }

    /** A binary message arrived: the protocol has none, so the connection is closed with 1003. */
    public void receivedBinary(WebSocketConnection connection) {
        sender.close(connection, CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported, send JSON text");
    }

    /** The transport failed on this connection (bad frame, oversized message, invalid UTF-8, reset). */
    public void transportFailed(WebSocketConnection connection, Throwable failure) {
        TransportErrors.CloseDecision decision = TransportErrors.classify(failure);
        if (decision.unexpected()) {
            LOG.warnf(failure, "Unexpected transport failure on connection %s", connection.id());
        } else {
            LOG.debugf("Transport failure on connection %s (%s): %s", connection.id(), decision.reason(), failure.toString());
        }
        if (decision.code() != TransportErrors.NONE) {
            sender.close(connection, decision.code(), decision.reason());
        }
    }

    /** The socket is gone: the user leaves every room it was in and no state of it remains. */
    public void disconnected(WebSocketConnection connection) {
        LOG.debugf("Connection %s closed", connection.id());
        sessions.close(connection).ifPresent(rooms::leaveAll);
    }

    private void execute(ChatSession session, ClientCommand command) throws RejectedFrameException {
        if (command instanceof ClientCommand.Join join) {
            rooms.join(session, join.room(), join.id());
        } else if (command instanceof ClientCommand.Leave leave) {
            if (!rooms.leave(session, leave.room(), leave.id())) {
                throw notJoined(leave);
            }
        } else if (command instanceof ClientCommand.Send send) {
            if (!rooms.post(session, send.room(), send.text(), send.id())) {
                throw notJoined(send);
            }
        }
    }

    private static RejectedFrameException notJoined(ClientCommand command) {
        return new RejectedFrameException(ErrorCode.NOT_JOINED, "join room " + command.room() + " first", command.id());
    }
}
