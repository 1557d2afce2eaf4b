package dev.quarkchat.chat;

import dev.quarkchat.history.HistoryConfig;
import dev.quarkchat.metrics.BenchMetrics;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.transport.EmbeddedSockets;
import dev.quarkchat.transport.NettyTransport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import io.quarkus.websockets.next.WebSocketConnection;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One message posted to a room of 1000 members: the seq, the history, the frame encoded once, and
 * per member the slow-consumer check (Netty's room before the socket's water mark) and the write
 * into the socket's Netty pipeline, through Netty's WebSocket frame encoder. Each member's pipeline
 * ends in a sink instead of a socket (an {@code EmbeddedChannel}), so this measures the server's
 * own work per delivery, not the kernel's; the load suite measures the sockets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanOutBenchmark {

    private static final String TEXT =
            "The quick brown fox jumps over the lazy dog; the lazy dog sleeps on, as chat-sized.";

    /** The default of {@code chat.max-pending-bytes}. */
    private static final long MAX_PENDING_BYTES = 1 << 20;

    @Param("1000")
    int members;

    private final List<EmbeddedChannel> sockets = new ArrayList<>();
    private Room room;
    private ChatSession poster;

    @Setup
    public void fillRoom() {
        sockets.clear();
        ChatMetrics metrics = BenchMetrics.inMemory();
        FrameSender sender = new FrameSender(metrics);
        room =
                new Room(
                        "lobby",
                        sender,
                        history(100, 20),
                        new MemberListing(0, 100),
                        new IdempotencyKeys(idempotency(), null),
                        metrics);
        for (int member = 0; member < members; member++) {
            ChatSession session =
                    new ChatSession(
                            connection("c" + member),
                            socket(),
                            new Credentials("user-" + member, Instant.MAX, Set.of()),
                            new TokenBucket(20, 40, System.nanoTime()));
            room.join(session, Optional.empty(), Optional.empty());
            if (poster == null) {
                poster = session;
            }
        }
        sockets.forEach(EmbeddedChannel::runPendingTasks);
    }

    /** Posts, then runs each socket's queued write, as its event loop would. */
    @Benchmark
    public int postToEveryMember() {
        int delivered =
                room.post(poster, TEXT, Optional.empty(), Optional.empty(), Instant.EPOCH)
                        .getAsInt();
        for (EmbeddedChannel socket : sockets) {
            socket.runPendingTasks();
        }
        return delivered;
    }

    /**
     * A pipeline like a server socket's after the upgrade: the frame encoder, and where Vert.x's
     * handler is.
     */
    private NettyTransport.Socket socket() {
        EmbeddedChannel channel =
                new EmbeddedChannel(
                        new ChannelOutboundHandlerAdapter() {
                            @Override
                            public void write(
                                    ChannelHandlerContext context,
                                    Object message,
                                    ChannelPromise promise) {
                                ReferenceCountUtil.release(message);
                                promise.setSuccess();
                            }
                        },
                        new WebSocket13FrameEncoder(false),
                        new ChannelInboundHandlerAdapter());
        sockets.add(channel);
        return EmbeddedSockets.at(channel.pipeline().lastContext(), MAX_PENDING_BYTES);
    }

    private static WebSocketConnection connection(String id) {
        return (WebSocketConnection)
                Proxy.newProxyInstance(
                        FanOutBenchmark.class.getClassLoader(),
                        new Class<?>[] {WebSocketConnection.class},
                        (proxy, method, args) ->
                                switch (method.getName()) {
                                    case "id" -> id;
                                    case "isClosed" -> false;
                                    case "hashCode" -> id.hashCode();
                                    case "equals" -> proxy == args[0];
                                    default ->
                                            throw new UnsupportedOperationException(
                                                    method.getName());
                                });
    }

    /** The defaults; this benchmark's sends carry no id, as the load suite's do not. */
    private static IdempotencyConfig idempotency() {
        return (IdempotencyConfig)
                Proxy.newProxyInstance(
                        FanOutBenchmark.class.getClassLoader(),
                        new Class<?>[] {IdempotencyConfig.class},
                        (proxy, method, args) ->
                                switch (method.getName()) {
                                    case "window" -> Duration.ofMinutes(10);
                                    case "maxKeysPerUser" -> 1000;
                                    case "maxKeys" -> 100_000;
                                    default ->
                                            throw new UnsupportedOperationException(
                                                    method.getName());
                                });
    }

    private static HistoryConfig history(int size, int onJoin) {
        return new HistoryConfig() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public int onJoin() {
                return onJoin;
            }
        };
    }
}
