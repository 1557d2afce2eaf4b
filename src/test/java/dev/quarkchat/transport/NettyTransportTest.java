package dev.quarkchat.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RawWebSocket;

import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateHandler;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The adapter on real sockets: WebSockets that a Vert.x server of the application's own Vert.x
 * upgrades, as websockets-next does, and that the adapter then takes over; the clients are plain
 * TCP sockets.
 */
@QuarkusTest
class NettyTransportTest {

    private static final SocketLimits LIMITS = new SocketLimits(1024, 256 * 1024);

    /** Like Quarkus' HTTP server, so that the idle timeout handler is there to be removed. */
    private static final int IDLE_TIMEOUT_SECONDS = 1800;

    private static final int FRAME_BYTES = 4096;

    /** Far more than a stuck reader's kernel buffers take before the socket's own queue grows. */
    private static final long MOST_WRITTEN = 64L * 1024 * 1024;

    private static final String NO_TOKEN = "none";

    @Inject NettyTransport transport;

    @Inject Vertx vertx;

    private HttpServer server;
    private URI base;
    private final BlockingQueue<Adopted> adopted = new LinkedBlockingQueue<>();
    private final AtomicBoolean loseIdleHandler = new AtomicBoolean();
    private final AtomicInteger tooBig = new AtomicInteger();

    /**
     * What the server side took over: the adapter's socket, its Netty channel (to check), or its
     * failure.
     */
    private record Adopted(
            Optional<NettyTransport.Socket> socket,
            Channel channel,
            Optional<RuntimeException> failure) {}

    @BeforeEach
    void startServer() throws Exception {
        server =
                vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(IDLE_TIMEOUT_SECONDS))
                        .requestHandler(
                                request ->
                                        request.toWebSocket()
                                                .onSuccess(
                                                        webSocket -> {
                                                            Channel channel =
                                                                    ((ConnectionBase)
                                                                                    request
                                                                                            .connection())
                                                                            .channel();
                                                            if (loseIdleHandler.get()) {
                                                                channel.pipeline()
                                                                        .remove(
                                                                                IdleStateHandler
                                                                                        .class);
                                                            }
                                                            try {
                                                                NettyTransport.Socket socket =
                                                                        transport.adopt(
                                                                                request
                                                                                        .connection(),
                                                                                LIMITS,
                                                                                tooBig
                                                                                        ::incrementAndGet);
                                                                adopted.add(
                                                                        new Adopted(
                                                                                Optional.of(socket),
                                                                                channel,
                                                                                Optional.empty()));
                                                            } catch (RuntimeException e) {
                                                                adopted.add(
                                                                        new Adopted(
                                                                                Optional.empty(),
                                                                                channel,
                                                                                Optional.of(e)));
                                                            }
                                                        }));
        server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close()
                .toCompletionStage()
                .toCompletableFuture()
                .get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void theStartupCheckPassesOnThisVertx() {
        assertThatCode(transport::selfCheck).doesNotThrowAnyException();
    }

    @Test
    void framesGoOutInOrderAndDroppingEndsTheConnectionWithoutACloseFrame() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(base, NO_TOKEN)) {
            NettyTransport.Socket socket = nextAdopted().socket().orElseThrow();

            socket.write(utf8("first"));
            socket.write(utf8("second"));
            socket.afterQueuedWrites(socket::drop);

            assertThat(client.readFrame().text()).isEqualTo("first");
            assertThat(client.readFrame().text()).isEqualTo("second");
            assertThat(client.readUntilEnd()).as("dropped, no close frame").isEmpty();
        }
    }

    /**
     * The room left is exactly the limit minus the bytes Netty holds for the socket, as its
     * outbound buffer counts them (frames with their headers and Netty's overhead per write), and
     * none once the limit is passed.
     */
    @Test
    @SuppressWarnings("try") // the stuck client only has to stay open, never read
    void theRoomLeftIsTheLimitLessTheBytesQueued() throws Exception {
        try (RawWebSocket stuck = RawWebSocket.connect(base, NO_TOKEN, FRAME_BYTES)) {
            Adopted server = nextAdopted();
            NettyTransport.Socket socket = server.socket().orElseThrow();
            byte[] frame = new byte[FRAME_BYTES];
            Arrays.fill(frame, (byte) 'x');
            boolean checkedUnderTheLimit = false;
            long written = 0;
            Room room = room(socket, server.channel());
            while (room.queued() <= LIMITS.maxPendingBytes()) {
                assertThat(written)
                        .as("bytes written before the socket's queue passed the limit")
                        .isLessThan(MOST_WRITTEN);
                if (room.queued() > 0) {
                    long left = LIMITS.maxPendingBytes() - room.queued();
                    assertThat(room.forWhatIsLeft())
                            .as("room for %d bytes, %d queued", left, room.queued())
                            .isTrue();
                    assertThat(room.forOneByteMore())
                            .as("room for %d bytes, %d queued", left + 1, room.queued())
                            .isFalse();
                    checkedUnderTheLimit = true;
                }
                socket.write(new NettyTransport.SharedBytes(frame));
                written += frame.length;
                room = room(socket, server.channel());
            }
            assertThat(checkedUnderTheLimit).as("saw bytes queued under the limit").isTrue();
            assertThat(socket.hasRoomFor(1)).as("room past the limit").isFalse();
        }
    }

    @Test
    void invalidUtf8IsClosedWith1007() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(base, NO_TOKEN)) {
            nextAdopted();

            client.writeFrame(
                    RawWebSocket.OPCODE_TEXT, true, new byte[] {(byte) 0xC3, (byte) 0x28});

            assertThat(client.readCloseCode()).isEqualTo(1007);
        }
    }

    @Test
    void aMessageOverTheLimitIsHandedToTheChat() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(base, NO_TOKEN)) {
            nextAdopted();
            int before = tooBig.get();

            client.writeFrame(
                    RawWebSocket.OPCODE_TEXT, false, new byte[LIMITS.maxMessageBytes() / 2]);
            client.writeFrame(
                    RawWebSocket.OPCODE_CONTINUATION,
                    true,
                    new byte[LIMITS.maxMessageBytes() / 2 + 1]);

            await().atMost(ChatClient.TIMEOUT).until(() -> tooBig.get() == before + 1);
        }
    }

    @Test
    void aPipelineNotAsExpectedClosesTheConnectionAndSaysWhatIsMissing() throws Exception {
        loseIdleHandler.set(true);
        try (RawWebSocket client = RawWebSocket.connect(base, NO_TOKEN)) {
            Adopted refused = nextAdopted();

            assertThat(refused.failure())
                    .get()
                    .extracting(Throwable::getMessage)
                    .asString()
                    .contains("IdleStateHandler", "Vert.x 4.5");
            assertThat(client.readUntilEnd()).as("closed, no close frame").isEmpty();
        }
    }

    private Adopted nextAdopted() throws InterruptedException {
        Adopted next = adopted.poll(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(next).as("a WebSocket taken over").isNotNull();
        return next;
    }

    /**
     * The socket's queue and its answers about it, read together on its event loop after every
     * write before.
     */
    private record Room(long queued, boolean forWhatIsLeft, boolean forOneByteMore) {}

    private static Room room(NettyTransport.Socket socket, Channel channel) throws Exception {
        CompletableFuture<Room> room = new CompletableFuture<>();
        socket.afterQueuedWrites(
                () -> {
                    long queued = channel.unsafe().outboundBuffer().totalPendingWriteBytes();
                    long left = LIMITS.maxPendingBytes() - queued;
                    room.complete(
                            new Room(
                                    queued,
                                    left >= 0 && socket.hasRoomFor((int) left),
                                    socket.hasRoomFor((int) Math.max(0, left + 1))));
                });
        return room.get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static NettyTransport.SharedBytes utf8(String text) {
        return new NettyTransport.SharedBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
