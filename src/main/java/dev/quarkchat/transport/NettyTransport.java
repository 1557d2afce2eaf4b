package dev.quarkchat.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.Version;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.ServerID;
import io.vertx.core.net.impl.TCPServerBase;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one place that reaches below the public APIs of websockets-next and Vert.x, into Vert.x 4
 * internals and the Netty pipelines of its connections (revisit on Vert.x 5):
 *
 * <ul>
 *   <li>{@link ConnectionBase}: the Netty channel and handler under a Vert.x connection;
 *   <li>the handler Vert.x names {@value #VERTX_HANDLER}, last in each connection's pipeline;
 *   <li>{@link VertxInternal#sharedHttpServers()} and the private field {@value
 *       #SERVER_CHANNEL_FIELD} of {@link TCPServerBase}: the listening servers and their Netty
 *       server channels.
 * </ul>
 *
 * Everything else here is public Netty API. Internals may change in any Vert.x release, so at
 * startup {@link #selfCheck()} opens a WebSocket to a throwaway server of the application's own
 * Vert.x and adapts it as a chat socket: on a Vert.x whose internals differ, the service does not
 * start, and says what is missing. A chat socket whose pipeline still turns out unexpected is
 * closed, never run without its guards.
 */
@ApplicationScoped
@RegisterForReflection(targets = TCPServerBase.class, fields = true, methods = false)
public class NettyTransport {

    private static final Logger LOG = Logger.getLogger(NettyTransport.class);

    /** What the internals reached here are those of; every failure about them names it. */
    private static final String WRITTEN_FOR = "Vert.x 4.5 and Netty 4.1, as in Quarkus 3.33";

    private static final String VERTX_HANDLER = "handler";
    private static final String SERVER_CHANNEL_FIELD = "bindFuture";
    private static final String SIZE_GUARD = "chat-message-size-guard";
    private static final String UTF8_VALIDATOR = "chat-utf8-validator";
    private static final String PENDING_CONNECTION = "chat-pending-connection";
    private static final String ACCEPTED_CONNECTIONS = "chat-pending-connections";
    private static final String LOOPBACK = InetAddress.getLoopbackAddress().getHostAddress();
    private static final Duration SELF_CHECK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Any idle timeout: on the throwaway server it only makes Vert.x add the handler that chat
     * sockets lose.
     */
    private static final int SELF_CHECK_IDLE_TIMEOUT_SECONDS = 3600;

    private static final SocketLimits SELF_CHECK_LIMITS = new SocketLimits(1024, 65_536);

    /** With RFC 6455's sample key: the throwaway server needs no secret. */
    private static final String SELF_CHECK_UPGRADE =
            "GET / HTTP/1.1\r\nHost: "
                    + LOOPBACK
                    + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";

    private static final ChannelHandler CLOSE_ON_REGISTRATION = new CloseOnRegistration();

    private final Vertx vertx;
    private final PendingConnectionPolicy pendingConnections;

    /** Whether Quarkus' HTTP server puts an idle timeout handler on every connection. */
    private final boolean httpIdleTimeout;

    private final AcceptedConnections acceptedConnections = new AcceptedConnections();

    /** The local ports of the server channels guarded. */
    private final Set<Integer> guardedPorts = ConcurrentHashMap.newKeySet();

    NettyTransport(
            Vertx vertx,
            PendingConnectionPolicy pendingConnections,
            @ConfigProperty(name = "quarkus.http.idle-timeout") Duration httpIdleTimeout) {
        this.vertx = vertx;
        this.pendingConnections = pendingConnections;
        this.httpIdleTimeout = !httpIdleTimeout.isZero();
    }

    void checkAtStartup(@Observes StartupEvent event) {
        selfCheck();
    }

    /**
     * Reaches every internal this class relies on once, on a WebSocket between a throwaway server
     * and client of the application's Vert.x on the loopback address (never the service's own port:
     * there every upgrade needs a token, and TLS or redirects may stand in the way).
     *
     * @throws IllegalStateException naming what is missing, and what this class was written for
     */
    void selfCheck() {
        Promise<Void> adapted = Promise.promise();
        HttpServer server =
                vertx.createHttpServer(
                                new HttpServerOptions()
                                        .setIdleTimeout(SELF_CHECK_IDLE_TIMEOUT_SECONDS))
                        .requestHandler(
                                request ->
                                        request.toWebSocket()
                                                .onComplete(
                                                        upgraded -> {
                                                            try {
                                                                if (upgraded.failed()) {
                                                                    throw new IllegalStateException(
                                                                            "the upgrade failed",
                                                                            upgraded.cause());
                                                                }
                                                                adopt(
                                                                        request.connection(),
                                                                        true,
                                                                        SELF_CHECK_LIMITS,
                                                                        () -> {});
                                                                adapted.complete();
                                                            } catch (RuntimeException
                                                                    | LinkageError e) {
                                                                adapted.fail(e);
                                                            }
                                                        }));
        // A plain socket for a client: a Vert.x one would load and keep its whole HTTP client stack
        // for this.
        try (java.net.Socket client = new java.net.Socket()) {
            // As the pending-connection guard reads the listening servers; this one, on port 0, is
            // not shared.
            sharedServers();
            await(server.listen(0, LOOPBACK));
            serverChannel(server);
            client.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.actualPort()),
                    (int) SELF_CHECK_TIMEOUT.toMillis());
            client.getOutputStream().write(SELF_CHECK_UPGRADE.getBytes(StandardCharsets.US_ASCII));
            await(adapted.future());
            LOG.debugf("Chat sockets can be set up on Vert.x %s", vertxVersion());
        } catch (UnexpectedInternals e) {
            throw e;
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new UnexpectedInternals(
                    "a WebSocket could not be set up as a chat socket: " + e, e);
        } finally {
            server.close();
        }
    }

    /**
     * Takes over the socket under a WebSocket that websockets-next just opened, on its event loop:
     *
     * <ul>
     *   <li>a message over the size limit ends the connection with close 1009 at any size, and
     *       nothing more of it is read: a {@link MessageSizeGuard} goes right after Netty's frame
     *       decoder;
     *   <li>text frames must be valid UTF-8 (RFC 6455, 8.1), else the connection is closed with
     *       1007. Vert.x's server does not check (it decodes invalid bytes to U+FFFD), so Netty's
     *       own validator goes between Netty's frame codec and Vert.x's handler, where it sees
     *       decoded frames and its close frame still gets encoded;
     *   <li>Quarkus' HTTP idle timeout (a Netty {@link IdleStateHandler}) puts a listener on every
     *       frame written; on a chat socket the keepalive decides when it is dead, so the handler
     *       goes;
     *   <li>the connection is no longer pending ({@link PendingConnectionPolicy});
     *   <li>Netty's write buffer water mark is set to {@code maxPendingBytes}, so that the
     *       channel's own count of queued bytes tells {@link Socket#hasRoomFor} the answer.
     * </ul>
     *
     * @param tooBig called, on the socket's event loop, once a message goes over the size limit;
     *     the socket reads nothing more, and the rest of that message never reaches Vert.x
     * @throws IllegalStateException after closing the connection, if its pipeline is not what this
     *     class expects
     */
    public Socket adopt(HttpConnection connection, SocketLimits limits, Runnable tooBig) {
        return adopt(connection, httpIdleTimeout, limits, tooBig);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the close of a refused socket needs no answer
    private static Socket adopt(
            HttpConnection connection, boolean idleTimeout, SocketLimits limits, Runnable tooBig) {
        if (!(connection instanceof ConnectionBase vertxConnection)) {
            connection.close();
            throw unexpected(
                    "a WebSocket's connection is a "
                            + connection.getClass().getName()
                            + ", not a "
                            + ConnectionBase.class.getName());
        }
        ChannelHandlerContext vertxHandler = vertxConnection.channelHandlerContext();
        try {
            adapt(vertxHandler.pipeline(), idleTimeout, limits, tooBig);
        } catch (RuntimeException e) {
            vertxHandler.close();
            throw e;
        }
        return socketAt(vertxHandler, limits.maxPendingBytes());
    }

    private static void adapt(
            ChannelPipeline pipeline, boolean idleTimeout, SocketLimits limits, Runnable tooBig) {
        ChannelHandlerContext decoder = pipeline.context(WebSocketFrameDecoder.class);
        ChannelHandler idle = pipeline.get(IdleStateHandler.class);
        List<String> missing = new ArrayList<>();
        if (decoder == null) {
            missing.add("Netty's WebSocket frame decoder");
        }
        if (pipeline.get(VERTX_HANDLER) == null) {
            missing.add("Vert.x's connection handler named '" + VERTX_HANDLER + "'");
        }
        if (idleTimeout && idle == null) {
            missing.add("the IdleStateHandler of quarkus.http.idle-timeout");
        }
        if (!missing.isEmpty()) {
            throw unexpected(
                    "a WebSocket's pipeline "
                            + pipeline.names()
                            + " lacks "
                            + String.join(", ", missing));
        }
        pipeline.addAfter(
                decoder.name(), SIZE_GUARD, new MessageSizeGuard(limits.maxMessageBytes(), tooBig));
        pipeline.addBefore(VERTX_HANDLER, UTF8_VALIDATOR, new Utf8FrameValidator(true));
        if (idle != null) {
            pipeline.remove(idle);
        }
        if (pipeline.get(PENDING_CONNECTION) != null) {
            pipeline.remove(PENDING_CONNECTION);
        }
    }

    /**
     * The socket whose frames go out at {@code vertxHandler}, with its queue limited to {@code
     * maxPendingBytes}.
     */
    static Socket socketAt(ChannelHandlerContext vertxHandler, long maxPendingBytes) {
        // Netty counts in ints; no queue gets near that before memory runs out.
        int limit = (int) Math.min(maxPendingBytes, Integer.MAX_VALUE);
        // Low as high: the channel is writable again as soon as it is back under the limit, as the
        // limit means.
        vertxHandler
                .channel()
                .config()
                .setWriteBufferWaterMark(new WriteBufferWaterMark(limit, limit));
        return new Socket(vertxHandler);
    }

    /**
     * Dev mode keeps its servers across a live reload: this application's handler takes the last
     * one's place.
     */
    public void takeOverKeptServers() {
        sharedServers()
                .forEach(
                        (id, server) -> {
                            Channel serverChannel = serverChannel(server);
                            if (serverChannel.pipeline().get(ACCEPTED_CONNECTIONS) != null) {
                                guard(serverChannel);
                            }
                        });
    }

    /**
     * Brings every connection that the server Quarkus started on {@code configuredPort} accepts to
     * the {@link PendingConnectionPolicy} (a negative port: a random one, as in tests), before
     * Netty registers it.
     *
     * @throws IllegalStateException naming what is not as expected, when no such server can be
     *     guarded
     */
    public void guardServersOn(int configuredPort) {
        Map<ServerID, HttpServerImpl> servers = sharedServers();
        boolean found = false;
        for (Map.Entry<ServerID, HttpServerImpl> server : servers.entrySet()) {
            if (server.getKey().port == configuredPort) {
                guard(serverChannel(server.getValue()));
                found = true;
            }
        }
        if (!found) {
            throw unexpected(
                    "Quarkus started a server on port "
                            + configuredPort
                            + ", but Vert.x shares none there"
                            + " (only "
                            + servers.keySet()
                            + ")");
        }
    }

    /**
     * The local ports of the server channels whose accepted connections are brought to the policy.
     */
    public Set<Integer> guardedPorts() {
        return Collections.unmodifiableSet(guardedPorts);
    }

    /**
     * A complete request head arrived (Vert.x hands a request over once its head is whole).
     *
     * @return what to run once its response has ended, if its connection is pending
     */
    public Optional<Runnable> requestHeadArrived(HttpServerRequest request) {
        // The self-check reached a request's channel this way; a request without one has no
        // deadline to stop.
        if (request.connection() instanceof ConnectionBase connection
                && connection.channel().pipeline().get(PENDING_CONNECTION)
                        instanceof PendingConnectionHandler pending) {
            pending.headArrived();
            return Optional.of(pending::responseEnded);
        }
        return Optional.empty();
    }

    private Map<ServerID, HttpServerImpl> sharedServers() {
        Map<ServerID, HttpServerImpl> shared = ((VertxInternal) vertx).sharedHttpServers();
        // Vert.x guards this map with its own monitor.
        synchronized (shared) {
            return new HashMap<>(shared);
        }
    }

    private void guard(Channel serverChannel) {
        ChannelPipeline pipeline = serverChannel.pipeline();
        ChannelHandler installed = pipeline.get(ACCEPTED_CONNECTIONS);
        if (installed == null) {
            pipeline.addFirst(ACCEPTED_CONNECTIONS, acceptedConnections);
        } else if (installed != acceptedConnections) {
            pipeline.replace(ACCEPTED_CONNECTIONS, ACCEPTED_CONNECTIONS, acceptedConnections);
        }
        if (serverChannel.localAddress() instanceof InetSocketAddress address) {
            guardedPorts.add(address.getPort());
        }
        LOG.debugf("Pending connections guarded on %s", serverChannel.localAddress());
    }

    private static Channel serverChannel(HttpServer server) {
        Object bound;
        try {
            Field field = TCPServerBase.class.getDeclaredField(SERVER_CHANNEL_FIELD);
            field.setAccessible(true);
            bound = field.get(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unexpected(
                    "cannot read "
                            + TCPServerBase.class.getName()
                            + "."
                            + SERVER_CHANNEL_FIELD
                            + ": "
                            + e);
        }
        if (bound instanceof Future<?> future
                && future.succeeded()
                && future.result() instanceof Channel channel) {
            return channel;
        }
        throw unexpected(
                TCPServerBase.class.getName()
                        + "."
                        + SERVER_CHANNEL_FIELD
                        + " of a listening server is "
                        + bound
                        + ", not a bound Netty channel");
    }

    private static IllegalStateException unexpected(String what) {
        return new UnexpectedInternals(what, null);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage()
                    .toCompletableFuture()
                    .get(SELF_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(failed.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + SELF_CHECK_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String vertxVersion() {
        return Objects.requireNonNullElse(
                Vertx.class.getPackage().getImplementationVersion(), "unknown");
    }

    private static String nettyVersion() {
        Version transport = Version.identify().get("netty-transport");
        return transport == null ? "unknown" : transport.artifactVersion();
    }

    /**
     * Names what this class expected of Vert.x and did not find, and which versions it was written
     * for.
     */
    private static final class UnexpectedInternals extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        UnexpectedInternals(String what, Throwable cause) {
            super(
                    "Vert.x internals are not as expected: "
                            + what
                            + ". The chat transport ("
                            + NettyTransport.class.getName()
                            + ") reaches into those of "
                            + WRITTEN_FOR
                            + "; this is Vert.x "
                            + vertxVersion()
                            + " with Netty "
                            + nettyVersion()
                            + ".",
                    cause);
        }
    }

    /**
     * Encoded bytes that any number of sockets write: each write is a view of the same memory, with
     * its own reader index, so a broadcast encodes and measures its payload once.
     */
    public static final class SharedBytes {

        /**
         * Never released: the views written to sockets share it, and the garbage collector frees
         * it.
         */
        private final ByteBuf content;

        /** Read for every member's slow-consumer check: a field, not a call into the buffer. */
        private final int length;

        public SharedBytes(byte[] utf8) {
            this.content = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(utf8));
            this.length = utf8.length;
        }

        /** How many bytes there are. */
        public int length() {
            return length;
        }
    }

    /**
     * A chat socket's way out: frames written where Vert.x writes its own, the count of bytes
     * queued, and the end of the TCP connection.
     */
    public static final class Socket {

        /**
         * Where Vert.x's handler sits in the socket's pipeline: frames written here are encoded as
         * Vert.x's are.
         */
        private final ChannelHandlerContext vertxHandler;

        private Socket(ChannelHandlerContext vertxHandler) {
            this.vertxHandler = vertxHandler;
        }

        /**
         * Writes a text frame of already-encoded bytes, through the frame and compression encoders,
         * so that a broadcast encodes once and skips websockets-next's per-message work (a Uni,
         * context propagation). The bytes are shared with other sockets and never written to.
         *
         * <p>The write always goes through the socket's event-loop queue, even when called on that
         * loop: frames come from every room's senders, on every event loop, and only one queue
         * keeps them in the order they were handed over (a direct write on the loop would overtake
         * frames still queued from other loops).
         */
        @SuppressWarnings(
                "FutureReturnValueIgnored") // a failed write fails the channel, whose close handler
        // ends the session
        public void write(SharedBytes utf8) {
            ByteBuf view = utf8.content.duplicate();
            afterQueuedWrites(() -> vertxHandler.writeAndFlush(new TextWebSocketFrame(view)));
        }

        /**
         * Runs {@code action} on the socket's event loop after every frame handed over before it.
         */
        public void afterQueuedWrites(Runnable action) {
            vertxHandler.executor().execute(action);
        }

        /**
         * Whether {@code bytes} more fit under {@link SocketLimits#maxPendingBytes()}, counting the
         * outbound bytes (frames with their headers) in the socket's buffer, not yet taken by the
         * kernel: they pile up when the client stops reading. Netty keeps this count anyway, so a
         * delivery costs no bookkeeping of ours; with the water mark at the limit, the bytes before
         * the channel turns unwritable are the room left, plus one.
         */
        public boolean hasRoomFor(int bytes) {
            return bytes < vertxHandler.channel().bytesBeforeUnwritable();
        }

        /**
         * Closes the TCP connection at once, without a close handshake that a dead peer would never
         * answer and without flushing what a stuck reader would never read. Vert.x's public {@code
         * HttpConnection.close()} does both for a WebSocket, so this closes the channel below
         * Vert.x's handler, as Vert.x itself does when a closing handshake times out.
         */
        @SuppressWarnings(
                "FutureReturnValueIgnored") // dropping is the last thing done with the socket
        public void drop() {
            vertxHandler.close();
        }
    }

    /**
     * First in a server channel's pipeline: every accepted connection passes here before Netty
     * registers it.
     */
    @ChannelHandler.Sharable
    private final class AcceptedConnections extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            Channel connection = (Channel) message;
            Optional<Runnable> admitted = pendingConnections.admit(connection.remoteAddress());
            if (admitted.isPresent()) {
                // Runs its handlerAdded once the connection is registered, on the connection's
                // event loop.
                connection
                        .pipeline()
                        .addFirst(
                                PENDING_CONNECTION,
                                new PendingConnectionHandler(
                                        connection,
                                        pendingConnections.headTimeout().toNanos(),
                                        admitted.get(),
                                        pendingConnections::headTimedOut));
            } else {
                // Not registered with an event loop yet: it can only be closed once it is, first
                // thing.
                connection.pipeline().addFirst(CLOSE_ON_REGISTRATION);
            }
            context.fireChannelRead(connection);
        }
    }

    /**
     * Closes a connection as soon as it has an event loop, before Vert.x reads anything from it.
     */
    @ChannelHandler.Sharable
    private static final class CloseOnRegistration extends ChannelInboundHandlerAdapter {

        @Override
        @SuppressWarnings("FutureReturnValueIgnored") // nothing waits for a refused connection
        public void handlerAdded(ChannelHandlerContext context) {
            context.close();
        }
    }
}
