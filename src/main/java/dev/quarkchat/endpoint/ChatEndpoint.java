package dev.quarkchat.endpoint;

import dev.quarkchat.protocol.ChatUpgrades;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

import jakarta.inject.Inject;

/**
 * The {@code /chat} WebSocket. The HTTP upgrade is authenticated before this class sees a
 * connection (see {@code quarkus.http.auth.permission.chat} in application.properties, and {@link
 * ConnectionHandshake}); every callback runs on the connection's event loop, one at a time, and
 * hands over to {@link ChatService}. The loop hands the callbacks one frame at a time, in order, so
 * the endpoint asks websockets-next for no queue of its own (concurrent inbound processing), which
 * would cost every connection an array.
 */
@WebSocket(path = ChatUpgrades.PATH, inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class ChatEndpoint {

    private final ChatService chat;

    @Inject
    ChatEndpoint(ChatService chat) {
        this.chat = chat;
    }

    @OnOpen
    @NonBlocking
    void onOpen(WebSocketConnection connection) {
        chat.connected(connection);
    }

    @OnTextMessage
    @NonBlocking
    void onText(String frame, WebSocketConnection connection) {
        chat.received(connection, frame);
    }

    @OnBinaryMessage
    @NonBlocking
    void onBinary(Buffer frame, WebSocketConnection connection) {
        chat.receivedBinary(connection);
    }

    @OnPongMessage
    @NonBlocking
    void onPong(Buffer data, WebSocketConnection connection) {
        chat.ponged(connection);
    }

    @OnError
    @NonBlocking
    void onError(Throwable failure, WebSocketConnection connection) {
        chat.transportFailed(connection, failure);
    }

    @OnClose
    @NonBlocking
    void onClose(WebSocketConnection connection, CloseReason reason) {
        chat.disconnected(connection, reason);
    }
}
