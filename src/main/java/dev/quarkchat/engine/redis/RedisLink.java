package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.engine.RoomEvent;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.LiveGauge;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.scheduling.PeriodicTasks;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This instance's two connections to Redis: one that runs the room scripts, in the order they are
 * issued (so that one client's messages keep their order), and one subscribed to the chat's shared
 * channel (moderation, user notices) and to the channel of each room this instance has members in
 * ({@link RoomChannels}), so that it hears no other room's events. Either one failing takes the
 * link down: operations fail at once with {@link EngineUnavailableException}, and the link is
 * retried every {@code chat.backplane.redis.check-interval} until both are back; a working link is
 * checked with PING at the same pace, so that a Redis that hangs is noticed too.
 */
@ApplicationScoped
public class RedisLink {

    private static final Logger LOG = Logger.getLogger(RedisLink.class);

    private final Instance<Redis> client;
    private final PeriodicTasks tasks;
    private final ChatMetrics metrics;
    private final RedisBackplaneConfig config;
    private final String channel;

    /** The rooms whose channels the event connection holds; guarded by this link. */
    private final RoomChannels roomChannels;

    /**
     * Each held room's subscription as asked of Redis: done once Redis confirmed it; guarded by
     * this link.
     */
    private final Map<String, CompletableFuture<Void>> roomSubscriptions = new HashMap<>();

    /** SHA-1 of each script, as Redis answered SCRIPT LOAD on the current command connection. */
    private final Map<RedisScript, String> loadedScripts = new ConcurrentHashMap<>();

    private volatile RedisConnection commands;
    private volatile RedisConnection events;
    private volatile boolean up;
    private volatile boolean connecting;
    private volatile boolean stopped;
    private Consumer<RoomEvent> eventHandler;
    private Runnable restoredHandler;
    private volatile Consumer<String> moderationHandler = payload -> {};
    private volatile Consumer<String> userNoticeHandler = payload -> {};

    RedisLink(
            Instance<Redis> client,
            PeriodicTasks tasks,
            ChatMetrics metrics,
            RedisBackplaneConfig config) {
        this.client = client;
        this.tasks = tasks;
        this.metrics = metrics;
        this.config = config;
        this.channel = config.keyPrefix() + "events";
        this.roomChannels = new RoomChannels(config.channelGrace());
    }

    /**
     * Connects, and keeps connecting. Each event is handed to {@code eventHandler}; {@code
     * restoredHandler} runs every time the link comes up, for the rooms to catch up with what they
     * may have missed.
     */
    public synchronized void start(Consumer<RoomEvent> eventHandler, Runnable restoredHandler) {
        this.eventHandler = eventHandler;
        this.restoredHandler = restoredHandler;
        metrics.observe(LiveGauge.BACKPLANE_UP, () -> isUp() ? 1 : 0);
        connect();
        tasks.every(config.checkInterval(), "Redis link check", this::check);
    }

    /**
     * Whether both connections are open and subscribed: the rooms of every instance are reachable.
     */
    public boolean isUp() {
        return up;
    }

    /**
     * Hands every moderation command published on the shared channel ({@link
     * RedisModerationFormat}) to {@code handler}, from now on.
     */
    void onModeration(Consumer<String> handler) {
        moderationHandler = handler;
    }

    /**
     * Hands every frame for a user published on the shared channel ({@link RedisUserBus}) to {@code
     * handler}, from now on.
     */
    void onUserNotice(Consumer<String> handler) {
        userNoticeHandler = handler;
    }

    /** The channel of what concerns the whole chat: moderation, and notices to users. */
    String channel() {
        return channel;
    }

    /** The channel of a room's events; its hash tag is the room's, as its keys' are. */
    String roomChannel(String room) {
        return key(room, "events");
    }

    /**
     * Subscribes to the room's channel, unless it is held already; done once Redis confirmed it, or
     * at once while the link is down (the link subscribes every held channel as it comes up, and
     * the rooms catch up then).
     */
    synchronized CompletionStage<Void> holdRoom(String room) {
        if (roomChannels.hold(room) == RoomChannels.Hold.SUBSCRIBE && up) {
            roomSubscriptions.put(room, subscribeRoom(room));
        }
        return roomSubscriptions.getOrDefault(room, CompletableFuture.completedFuture(null));
    }

    /**
     * The room has no member here now: its channel goes once {@code
     * chat.backplane.redis.channel-grace} is over.
     */
    synchronized void releaseRoom(String room) {
        roomChannels.release(room, System.nanoTime());
    }

    /** Subscribes the held rooms that the event connection does not hold yet. */
    private synchronized void subscribeHeldRooms() {
        for (String room : roomChannels.held()) {
            roomSubscriptions.computeIfAbsent(room, this::subscribeRoom);
        }
    }

    private CompletableFuture<Void> subscribeRoom(String room) {
        RedisConnection connection = events;
        if (connection == null) {
            return CompletableFuture.completedFuture(null);
        }
        return withTimeout(connection.send(Request.cmd(Command.SUBSCRIBE).arg(roomChannel(room))))
                .replaceWithVoid()
                .onFailure()
                .invoke(this::lost)
                .onFailure()
                .recoverWithNull()
                .subscribeAsCompletionStage();
    }

    private synchronized void letExpiredRoomsGo() {
        List<String> expired = roomChannels.expired(System.nanoTime());
        RedisConnection connection = events;
        for (String room : expired) {
            roomSubscriptions.remove(room);
            if (up && connection != null) {
                withTimeout(
                                connection.send(
                                        Request.cmd(Command.UNSUBSCRIBE).arg(roomChannel(room))))
                        .subscribe()
                        .with(unsubscribed -> {}, this::lost);
            }
        }
    }

    /** A key of a room; the room name in braces keeps a room's keys in one Redis Cluster slot. */
    String key(String room, String part) {
        return config.keyPrefix() + "{" + room + "}:" + part;
    }

    /**
     * A key of the chat as a whole (bans); its hash tag is no room's, since room names start with a
     * letter or digit.
     */
    String sharedKey(String part) {
        return config.keyPrefix() + "{_moderation}:" + part;
    }

    /**
     * A key of one user (its list of rooms); its hash tag is no room's, since room names start with
     * a letter or digit.
     */
    String userKey(String user, String part) {
        return config.keyPrefix() + "{~user:" + user + "}:" + part;
    }

    /**
     * Runs a script on the command connection; fails with {@link EngineUnavailableException} when
     * the link is down.
     */
    Uni<Response> run(RedisScript script, List<String> keys, List<String> args) {
        RedisConnection connection = commands;
        String sha = loadedScripts.get(script);
        if (!up || connection == null || sha == null) {
            return Uni.createFrom()
                    .failure(
                            new EngineUnavailableException("the Redis backplane is not connected"));
        }
        Request request = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return withTimeout(connection.send(request));
    }

    private void check() {
        if (stopped) {
            return;
        }
        letExpiredRoomsGo();
        RedisConnection connection = commands;
        if (up && connection != null) {
            withTimeout(connection.send(Request.cmd(Command.PING)))
                    .subscribe()
                    .with(pong -> {}, this::lost);
        } else if (!connecting) {
            connect();
        }
    }

    private void connect() {
        connecting = true;
        Redis redis = client.get();
        redis.connect()
                .call(
                        connection ->
                                loadScripts(connection)
                                        .invoke(() -> commands = watched(connection)))
                .chain(ignored -> redis.connect())
                .call(connection -> subscribe(watched(connection)))
                .subscribe()
                .with(
                        subscribed -> {
                            events = subscribed;
                            connecting = false;
                            if (stopped) {
                                closeConnections();
                                return;
                            }
                            up = true;
                            subscribeHeldRooms();
                            LOG.infof("Connected to the Redis backplane (channel %s)", channel);
                            restoredHandler.run();
                        },
                        failure -> {
                            connecting = false;
                            closeConnections();
                            LOG.debugf("Redis backplane still unreachable: %s", failure.toString());
                        });
    }

    private Uni<Void> loadScripts(RedisConnection connection) {
        Uni<Void> loading = Uni.createFrom().voidItem();
        for (RedisScript script : RedisScript.values()) {
            Request load = Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source());
            loading =
                    loading.call(
                            () ->
                                    withTimeout(connection.send(load))
                                            .invoke(
                                                    sha ->
                                                            loadedScripts.put(
                                                                    script, sha.toString())));
        }
        return loading;
    }

    /** Subscribes a new event connection to the shared channel and to every held room's. */
    private Uni<Response> subscribe(RedisConnection connection) {
        connection.handler(this::received);
        Request subscribe = Request.cmd(Command.SUBSCRIBE).arg(channel);
        synchronized (this) {
            roomSubscriptions.clear();
            for (String room : roomChannels.held()) {
                subscribe.arg(roomChannel(room));
                roomSubscriptions.put(room, CompletableFuture.completedFuture(null));
            }
        }
        // Rooms held from here until the link is up are subscribed then (subscribeHeldRooms).
        return withTimeout(connection.send(subscribe));
    }

    private RedisConnection watched(RedisConnection connection) {
        connection.exceptionHandler(this::lost);
        connection.endHandler(
                () -> lost(new EngineUnavailableException("Redis closed the connection")));
        return connection;
    }

    /**
     * A pushed reply on the event connection: {@code message <channel> <payload>} for a published
     * event.
     */
    private void received(Response push) {
        if (push.size() == 3 && "message".equals(push.get(0).toString())) {
            String payload = push.get(2).toString();
            if (!channel.equals(push.get(1).toString())) {
                roomEvent(payload);
                return;
            }
            if (RedisModerationFormat.isCommand(payload)) {
                moderationHandler.accept(payload);
                return;
            }
            if (RedisUserBus.isNotice(payload)) {
                userNoticeHandler.accept(payload);
                return;
            }
            roomEvent(payload);
        }
    }

    private void roomEvent(String payload) {
        RedisEventFormat.parse(payload)
                .ifPresentOrElse(
                        eventHandler,
                        () ->
                                LOG.warnf(
                                        "Ignored an event this version does not understand: %.80s",
                                        LogSafe.escaped(payload)));
    }

    private void lost(Throwable failure) {
        if (!up) {
            return;
        }
        up = false;
        LOG.warnf(
                "Lost the Redis backplane (%s): retrying every %s; sends and joins are answered 'unavailable'",
                failure.toString(), config.checkInterval());
        closeConnections();
    }

    private void closeConnections() {
        RedisConnection oldCommands = commands;
        RedisConnection oldEvents = events;
        commands = null;
        events = null;
        loadedScripts.clear();
        for (RedisConnection connection : new RedisConnection[] {oldCommands, oldEvents}) {
            if (connection != null) {
                connection
                        .close()
                        .subscribe()
                        .with(
                                closed -> {},
                                failure ->
                                        LOG.debugf(
                                                "Closing a broken Redis connection: %s",
                                                failure.toString()));
            }
        }
    }

    private <T> Uni<T> withTimeout(Uni<T> operation) {
        return operation
                .ifNoItem()
                .after(config.commandTimeout())
                .failWith(
                        () ->
                                new EngineUnavailableException(
                                        "Redis did not answer within " + config.commandTimeout()))
                .onFailure(failure -> !(failure instanceof EngineUnavailableException))
                .transform(
                        failure ->
                                new EngineUnavailableException(
                                        "Redis failed: " + failure.getMessage()));
    }

    synchronized void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        up = false;
        closeConnections();
    }
}
