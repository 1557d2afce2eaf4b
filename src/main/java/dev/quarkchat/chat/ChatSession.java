package dev.quarkchat.chat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.websockets.next.WebSocketConnection;

/** One open connection of a signed-in user, and the rooms it has joined. */
public final class ChatSession {

    private final WebSocketConnection connection;
    private final String user;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();

    ChatSession(WebSocketConnection connection, String user) {
        this.connection = connection;
        this.user = user;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public String id() {
        return connection.id();
    }

    /** The user name from the token ({@code upn}, else {@code preferred_username}, else {@code sub}). */
    public String user() {
        return user;
    }

    /** Names of the rooms this connection has joined. */
    public Set<String> rooms() {
        return rooms;
    }
}
