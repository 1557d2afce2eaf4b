package dev.quarkchat.room;

import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.engine.EmbeddedEngines;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.Memberships;
import dev.quarkchat.engine.MemoryBroker;
import dev.quarkchat.engine.MemoryMemberships;
import dev.quarkchat.engine.MemoryPresence;
import dev.quarkchat.engine.MemoryReadPositions;
import dev.quarkchat.metrics.BenchMetrics;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.EmbeddedSessions;
import dev.quarkchat.session.FrameSender;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One message posted to a room of 1000 members, through the room layer and the memory engine: the
 * seq, the history, the frame encoded once, and per member the slow-consumer check (Netty's room
 * before the socket's water mark) and the write into the socket's Netty pipeline, through Netty's
 * WebSocket frame encoder. Each member's pipeline ends in a sink instead of a socket (an {@code
 * EmbeddedChannel}), so this measures the server's own work per delivery, not the kernel's; the
 * load suite measures the sockets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanOutBenchmark {

    private static final String ROOM = "lobby";
    private static final String TEXT =
            "The quick brown fox jumps over the lazy dog; the lazy dog sleeps on, as chat-sized.";

    /** The default of {@code chat.max-pending-bytes}. */
    private static final long MAX_PENDING_BYTES = 1 << 20;

    @Param("1000")
    int members;

    private final List<EmbeddedChannel> sockets = new ArrayList<>();
    private RoomRegistry rooms;
    private ChatSession poster;

    @Setup
    public void fillRoom() {
        sockets.clear();
        poster = null;
        ChatMetrics metrics = BenchMetrics.inMemory();
        MemoryBroker broker = EmbeddedEngines.broker(100);
        FrameSender sender = EmbeddedSessions.sender(metrics);
        rooms =
                new RoomRegistry(
                        broker,
                        new MemoryPresence(broker::announce),
                        new MemoryReadPositions(members),
                        new MemoryMemberships(1, members),
                        EmbeddedSessions.notices(sender),
                        sender,
                        metrics,
                        crowdedRooms(),
                        history(100, 20),
                        null);
        for (int member = 0; member < members; member++) {
            ChatSession session =
                    EmbeddedSessions.session(connection("c" + member), socket(), "user-" + member);
            rooms.join(
                    session,
                    new Memberships.Membership(ROOM, Optional.empty()),
                    Optional.empty(),
                    Optional.empty());
            if (poster == null) {
                poster = session;
            }
        }
        sockets.forEach(EmbeddedChannel::runPendingTasks);
    }

    /** Posts, then runs each socket's queued write, as its event loop would. */
    @Benchmark
    public boolean postToEveryMember() {
        boolean posted = rooms.post(poster, ROOM, TEXT, Optional.empty(), System.nanoTime());
        for (EmbeddedChannel socket : sockets) {
            socket.runPendingTasks();
        }
        return posted;
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

    /**
     * No presence events and at most 100 names in joined, as in a crowded room; the default
     * outbound limit.
     */
    private static ChatConfig crowdedRooms() {
        return (ChatConfig)
                Proxy.newProxyInstance(
                        FanOutBenchmark.class.getClassLoader(),
                        new Class<?>[] {ChatConfig.class},
                        (proxy, method, args) ->
                                switch (method.getName()) {
                                    case "presenceMaxRoomSize" -> 0;
                                    case "joinedMaxMembers" -> 100;
                                    case "maxPendingBytes" -> MAX_PENDING_BYTES;
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

            @Override
            public Store store() {
                return Store.MEMORY;
            }

            @Override
            public int pageMax() {
                return 100;
            }

            @Override
            public Retention retention() {
                throw new UnsupportedOperationException("only the PostgreSQL store retains");
            }

            @Override
            public Postgres postgres() {
                throw new UnsupportedOperationException("the memory store is measured");
            }
        };
    }
}
