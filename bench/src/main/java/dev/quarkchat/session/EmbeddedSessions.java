package dev.quarkchat.session;

import dev.quarkchat.engine.LocalUserBus;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.transport.NettyTransport;

import io.quarkus.websockets.next.WebSocketConnection;

import java.time.Instant;
import java.util.Set;

/** Sessions and their sender, made without CDI, over sockets that are not Vert.x connections. */
public final class EmbeddedSessions {

    private EmbeddedSessions() {}

    /** The sender of every frame, counting into {@code metrics}. */
    public static FrameSender sender(ChatMetrics metrics) {
        return new FrameSender(metrics);
    }

    /**
     * Notices for users of this instance alone; the benchmark's messages mention nobody, so no
     * session is ever looked up.
     */
    public static UserNotices notices(FrameSender sender) {
        return new UserNotices(null, sender, new LocalUserBus());
    }

    /** A session of {@code user} whose token never expires, writing into {@code socket}. */
    public static ChatSession session(
            WebSocketConnection connection, NettyTransport.Socket socket, String user) {
        return new ChatSession(
                connection,
                socket,
                new Credentials(user, Instant.MAX, Set.of(), false),
                new TokenBucket(20, 40, System.nanoTime()));
    }
}
