package dev.quarkchat.chat;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.HttpConnection;

/** The chat state of every open connection, by connection id; an entry lives exactly as long as its socket. */
@ApplicationScoped
public class ChatSessions {

    private final Map<String, ChatSession> byConnectionId = new ConcurrentHashMap<>();

    ChatSession open(WebSocketConnection connection) {
        HttpConnection transport = ConnectionHandshake.transport(connection);
        Utf8FrameValidation.install(transport);
        ChatSession session = new ChatSession(connection, transport, ConnectionHandshake.credentials(connection));
        byConnectionId.put(connection.id(), session);
        return session;
    }

    Optional<ChatSession> find(WebSocketConnection connection) {
        return Optional.ofNullable(byConnectionId.get(connection.id()));
    }

    Optional<ChatSession> close(WebSocketConnection connection) {
        return Optional.ofNullable(byConnectionId.remove(connection.id()));
    }

    /** A live view of every open session, for sweeps; it never blocks writers. */
    public Collection<ChatSession> all() {
        return Collections.unmodifiableCollection(byConnectionId.values());
    }

    /** How many connections hold chat state now. */
    public int size() {
        return byConnectionId.size();
    }
}
