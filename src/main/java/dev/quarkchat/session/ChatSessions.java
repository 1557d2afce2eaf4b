package dev.quarkchat.session;

import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.LiveGauge;
import dev.quarkchat.transport.NettyTransport;
import dev.quarkchat.transport.SocketLimits;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The chat state of every open connection, by connection id; an entry lives exactly as long as its
 * socket.
 */
@ApplicationScoped
public class ChatSessions {

    private final Map<String, ChatSession> byConnectionId = new ConcurrentHashMap<>();
    private final CountsByUser connectionsByUser = new CountsByUser();
    private final ChatConfig.RateLimit rateLimit;
    private final NettyTransport transport;
    private final SocketLimits socketLimits;

    ChatSessions(
            ChatConfig config,
            NettyTransport transport,
            @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size")
                    OptionalInt maxMessageBytes) {
        this.rateLimit = config.rateLimit();
        this.transport = transport;
        // Unset, websockets-next leaves Vert.x's default in place.
        this.socketLimits =
                new SocketLimits(
                        maxMessageBytes.orElse(
                                HttpServerOptions.DEFAULT_MAX_WEBSOCKET_MESSAGE_SIZE),
                        config.maxPendingBytes());
    }

    void observe(@Observes StartupEvent event, ChatMetrics metrics) {
        metrics.observe(LiveGauge.CONNECTIONS_ACTIVE, this::size);
    }

    /**
     * Starts the chat state of a new connection.
     *
     * @param tcp the HTTP connection the WebSocket was upgraded from
     * @param credentials what the token said at the handshake
     * @param tooBig what to do, on the socket's event loop, when the client sends a message over
     *     the size limit
     */
    public ChatSession open(
            WebSocketConnection connection,
            HttpConnection tcp,
            Credentials credentials,
            Consumer<ChatSession> tooBig) {
        // Registered below, before the socket reads another frame: both happen on its event loop.
        NettyTransport.Socket socket =
                transport.adopt(tcp, socketLimits, () -> find(connection).ifPresent(tooBig));
        ChatSession session =
                new ChatSession(
                        connection,
                        socket,
                        credentials,
                        new TokenBucket(
                                rateLimit.messagesPerSecond(),
                                rateLimit.burst(),
                                System.nanoTime()));
        byConnectionId.put(connection.id(), session);
        connectionsByUser.increment(session.user());
        return session;
    }

    /** How many connections the user holds now. */
    public int connectionsOf(String user) {
        return connectionsByUser.count(user);
    }

    public Optional<ChatSession> find(WebSocketConnection connection) {
        return Optional.ofNullable(byConnectionId.get(connection.id()));
    }

    public Optional<ChatSession> close(WebSocketConnection connection) {
        ChatSession session = byConnectionId.remove(connection.id());
        if (session == null) {
            return Optional.empty();
        }
        connectionsByUser.decrement(session.user());
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
