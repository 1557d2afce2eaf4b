package dev.quarkchat.chat;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.quarkchat.auth.PendingConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.net.impl.ConnectionBase;

/** The chat state of every open connection, by connection id; an entry lives exactly as long as its socket. */
@ApplicationScoped
public class ChatSessions {

    private final Map<String, ChatSession> byConnectionId = new ConcurrentHashMap<>();
    private final Map<String, Integer> connectionsByUser = new ConcurrentHashMap<>();
    private final ChatConfig.RateLimit rateLimit;
    private final PendingConnections pendingConnections;

    ChatSessions(ChatConfig config, PendingConnections pendingConnections) {
        this.rateLimit = config.rateLimit();
        this.pendingConnections = pendingConnections;
    }

    ChatSession open(WebSocketConnection connection) {
        // Vert.x 4 internals: its connection handler's place in the socket's Netty pipeline (revisit on Vert.x 5).
        ChannelHandlerContext socket = ((ConnectionBase) ConnectionHandshake.transport(connection)).channelHandlerContext();
        ChatSocketPipeline.adapt(socket.pipeline());
        pendingConnections.upgraded(socket.channel());
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
