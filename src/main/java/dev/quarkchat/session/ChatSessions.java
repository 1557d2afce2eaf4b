package dev.quarkchat.session;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarkchat.auth.PendingConnections;
import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.LiveGauge;
import dev.quarkchat.auth.ConnectionHandshake;
import dev.quarkchat.chat.ChatSocketPipeline;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;

/** The chat state of every open connection, by connection id; an entry lives exactly as long as its socket. */
@ApplicationScoped
public class ChatSessions {

    private final Map<String, ChatSession> byConnectionId = new ConcurrentHashMap<>();
    private final Map<String, Integer> connectionsByUser = new ConcurrentHashMap<>();
    private final ChatConfig.RateLimit rateLimit;
    private final PendingConnections pendingConnections;
    private final int maxMessageBytes;

    ChatSessions(ChatConfig config, PendingConnections pendingConnections,
            @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size") OptionalInt maxMessageBytes) {
        this.rateLimit = config.rateLimit();
        this.pendingConnections = pendingConnections;
        // Unset, websockets-next leaves Vert.x's default in place.
        this.maxMessageBytes = maxMessageBytes.orElse(HttpServerOptions.DEFAULT_MAX_WEBSOCKET_MESSAGE_SIZE);
    }

    void observe(@Observes StartupEvent event, ChatMetrics metrics) {
        metrics.observe(LiveGauge.CONNECTIONS_ACTIVE, this::size);
    }

    /**
     * Starts the chat state of a new connection.
     *
     * @param tooBig what to do, on the socket's event loop, when the client sends a message over the size limit
     */
    public ChatSession open(WebSocketConnection connection, Consumer<ChatSession> tooBig) {
        // Vert.x 4 internals: its connection handler's place in the socket's Netty pipeline (revisit on Vert.x 5).
        ChannelHandlerContext socket = ((ConnectionBase) ConnectionHandshake.transport(connection)).channelHandlerContext();
        ChatSession session = new ChatSession(connection, socket, ConnectionHandshake.credentials(connection),
                new TokenBucket(rateLimit.messagesPerSecond(), rateLimit.burst(), System.nanoTime()));
        ChatSocketPipeline.adapt(socket.pipeline(), maxMessageBytes, () -> tooBig.accept(session));
        pendingConnections.upgraded(socket.channel());
        byConnectionId.put(connection.id(), session);
        connectionsByUser.merge(session.user(), 1, Integer::sum);
        return session;
    }

    /** How many connections the user holds now. */
    public int connectionsOf(String user) {
        return connectionsByUser.getOrDefault(user, 0);
    }

    public Optional<ChatSession> find(WebSocketConnection connection) {
        return Optional.ofNullable(byConnectionId.get(connection.id()));
    }

    public Optional<ChatSession> close(WebSocketConnection connection) {
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
