package dev.quarkchat.chat;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarkchat.transport.NettyTransport;
import dev.quarkchat.transport.SocketLimits;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.HttpServerOptions;

/** The chat state of every open connection, by connection id; an entry lives exactly as long as its socket. */
@ApplicationScoped
public class ChatSessions {

    private final Map<String, ChatSession> byConnectionId = new ConcurrentHashMap<>();
    private final Map<String, Integer> connectionsByUser = new ConcurrentHashMap<>();
    private final ChatConfig.RateLimit rateLimit;
    private final NettyTransport transport;
    private final SocketLimits socketLimits;

    ChatSessions(ChatConfig config, NettyTransport transport,
            @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size") OptionalInt maxMessageBytes) {
        this.rateLimit = config.rateLimit();
        this.transport = transport;
        // Unset, websockets-next leaves Vert.x's default in place.
        this.socketLimits = new SocketLimits(
                maxMessageBytes.orElse(HttpServerOptions.DEFAULT_MAX_WEBSOCKET_MESSAGE_SIZE), config.maxPendingBytes());
    }

    /**
     * Starts the chat state of a new connection.
     *
     * @param tooBig what to do, on the socket's event loop, when the client sends a message over the size limit
     */
    ChatSession open(WebSocketConnection connection, Consumer<ChatSession> tooBig) {
        // Registered below, before the socket reads another frame: both happen on its event loop.
        NettyTransport.Socket socket = transport.adopt(ConnectionHandshake.transport(connection), socketLimits,
                () -> find(connection).ifPresent(tooBig));
        ChatSession session = new ChatSession(connection, socket, ConnectionHandshake.credentials(connection),
                new TokenBucket(rateLimit.messagesPerSecond(), rateLimit.burst(), System.nanoTime()));
        byConnectionId.put(connection.id(), session);
        connectionsByUser.merge(session.user(), 1, Integer::sum);
        return session;
    }

    /** How many connections the user holds now. */
    int connectionsOf(String user) {
        return connectionsByUser.getOrDefault(user, 0);
    }

    Optional<ChatSession> find(WebSocketConnection connection) {
        return Optional.ofNullable(byConnectionId.get(connection.id()));
    }

    Optional<ChatSession> close(WebSocketConnection connection) {
        ChatSession session = byConnectionId.remove(connection.id());
        if (session == null) {
            return Optional.empty();
        }
        connectionsByUser.computeIfPresent(session.user(), (user, count) -> count == 1 ? null : count - 1);
        return Optional.of(session);
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
