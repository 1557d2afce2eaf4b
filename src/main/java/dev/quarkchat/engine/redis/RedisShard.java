package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.protocol.LogSafe;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * This instance's two connections to one shard's primary (the one Redis, without a cluster): one
 * that runs the scripts, in the order they are issued (so that one client's messages keep their
 * order), and one subscribed to the channels of this shard that the link holds. Either one failing
 * takes the shard down: its operations fail at once with {@link EngineUnavailableException} until
 * the link connects it again.
 */
final class RedisShard {

    private static final Logger LOG = Logger.getLogger(RedisShard.class);

    /** What a shard tells its link. */
    interface Listener {

        /** A payload published on a channel this shard holds. */
        void published(String channel, String payload);

        /** The shard is connected and subscribed, after a start or an outage. */
        void connected(RedisShard shard);

        /** The shard was up and is not any longer. */
        void lost(RedisShard shard, Throwable failure);
    }

    private final String name;
    private final String address;
    private final Supplier<Uni<RedisConnection>> connector;
    private final PubSub pubSub;
    private final Duration commandTimeout;
    private final Listener listener;

    /** SHA-1 of each script, as this shard answered SCRIPT LOAD on the current connection. */
    private final Map<RedisScript, String> loadedScripts = new ConcurrentHashMap<>();

    /** Each channel subscribed on the event connection: done once Redis confirmed it. */
    private final Map<String, CompletableFuture<Void>> subscribed = new HashMap<>();

    private volatile RedisConnection commands;
    private volatile RedisConnection events;
    private volatile boolean up;
    private volatile boolean connecting;
    private volatile boolean closed;

    /**
     * @param name the shard's name ({@link ClusterSlots.Shard#name()}), for metrics and logs
     * @param address where its primary is, for logs
     * @param connector opens one connection to the primary
     */
    RedisShard(
            String name,
            String address,
            Supplier<Uni<RedisConnection>> connector,
            PubSub pubSub,
            Duration commandTimeout,
            Listener listener) {
        this.name = name;
        this.address = address;
        this.connector = connector;
        this.pubSub = pubSub;
        this.commandTimeout = commandTimeout;
        this.listener = listener;
    }

    String name() {
        return name;
    }

    String address() {
        return address;
    }

    boolean isUp() {
        return up;
    }

    boolean isConnecting() {
        return connecting;
    }

    /**
     * Connects both connections, loads the scripts and subscribes to {@code channels}; the listener
     * hears {@link Listener#connected} once all of it is done.
     */
    void connect(Collection<String> channels) {
        if (closed || connecting || up) {
            return;
        }
        connecting = true;
        connector
                .get()
                .call(
                        connection ->
                                withTimeout(
                                                connection.send(
                                                        Request.cmd(Command.INFO)
                                                                .arg("replication")))
                                        .map(info -> writerOf(info.toString()))
                                        .chain(writer -> loadScripts(connection, writer))
                                        .invoke(() -> commands = watched(connection))
                                        .onFailure()
                                        .call(connection::close))
                .chain(ignored -> connector.get())
                .call(
                        connection ->
                                subscribeAll(watched(connection), channels)
                                        .onFailure()
                                        .call(connection::close))
                .subscribe()
                .with(
                        subscribed -> {
                            events = subscribed;
                            connecting = false;
                            if (closed) {
                                closeConnections();
                                return;
                            }
                            up = true;
                            LOG.infof("Connected to Redis shard %s at %s", name, address);
                            listener.connected(this);
                        },
                        failure -> {
                            connecting = false;
                            closeConnections();
                            LOG.debugf(
                                    "Redis shard %s at %s still unreachable: %s",
                                    name, address, failure.toString());
                        });
    }

    /**
     * Runs a script on the command connection; fails with {@link EngineUnavailableException} while
     * the shard is down.
     */
    Uni<Response> run(RedisScript script, List<String> keys, List<String> args) {
        RedisConnection connection = commands;
        String sha = loadedScripts.get(script);
        if (!up || connection == null || sha == null) {
            return Uni.createFrom()
                    .failure(
                            new EngineUnavailableException(
                                    "the Redis backplane is not connected (shard " + name + ")"));
        }
        Request request = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return withTimeout(connection.send(request));
    }

    /**
     * Subscribes to the channel, unless it is subscribed already; done once Redis confirmed it, or
     * at once while the shard is down (the link subscribes its channels as the shard comes up).
     */
    synchronized CompletionStage<Void> subscribe(String channel) {
        RedisConnection connection = events;
        if (!up || connection == null) {
            return CompletableFuture.completedFuture(null);
        }
        return subscribed.computeIfAbsent(
                channel,
                held ->
                        subscribeOn(connection, held)
                                .onFailure()
                                .invoke(failure -> lost(connection, failure))
                                .onFailure()
                                .recoverWithNull()
                                .subscribeAsCompletionStage());
    }

    synchronized void unsubscribe(String channel) {
        RedisConnection connection = events;
        if (subscribed.remove(channel) != null && up && connection != null) {
            LOG.debugf("Unsubscribing from %s on shard %s", LogSafe.escaped(channel), name);
            withTimeout(connection.send(Request.cmd(pubSub.unsubscribe()).arg(channel)))
                    .subscribe()
                    .with(unsubscribed -> {}, failure -> lost(connection, failure));
        }
    }

    /** Checks that a working shard still answers, so that a Redis that hangs is noticed too. */
    void ping() {
        RedisConnection connection = commands;
        if (up && connection != null) {
            withTimeout(connection.send(Request.cmd(Command.PING)))
                    .subscribe()
                    .with(pong -> {}, failure -> lost(connection, failure));
        }
    }

    /** Closes both connections for good: the shard moved, or the application stops. */
    void close() {
        closed = true;
        up = false;
        closeConnections();
    }

    /**
     * The replication id of the primary that answered {@code INFO replication}: a primary promoted
     * from a replica, or restarted without its data, has a new one ({@code room-epoch.lua}).
     */
    static String writerOf(String info) {
        String role = null;
        String replicationId = null;
        for (String line : info.split("\\r?\\n", -1)) {
            if (line.startsWith("role:")) {
                role = line.substring("role:".length()).strip();
            } else if (line.startsWith("master_replid:")) {
                replicationId = line.substring("master_replid:".length()).strip();
            }
        }
        if (!"master".equals(role)
                || replicationId == null
                || !replicationId.matches("[0-9a-f]+")) {
            throw new EngineUnavailableException(
                    "expected a Redis primary, found role "
                            + role
                            + " (replication id "
                            + replicationId
                            + ")");
        }
        return replicationId;
    }

    private Uni<Void> loadScripts(RedisConnection connection, String writer) {
        Uni<Void> loading = Uni.createFrom().voidItem();
        for (RedisScript script : RedisScript.values()) {
            Request load =
                    Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source(pubSub, writer));
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

    /** Subscribes a new event connection to each channel, one command each: a cluster needs it. */
    private Uni<Void> subscribeAll(RedisConnection connection, Collection<String> channels) {
        connection.handler(this::received);
        List<Uni<Void>> confirmations = new ArrayList<>();
        synchronized (this) {
            subscribed.clear();
            for (String channel : channels) {
                CompletableFuture<Void> confirmed =
                        subscribeOn(connection, channel).subscribeAsCompletionStage();
                subscribed.put(channel, confirmed);
                confirmations.add(Uni.createFrom().completionStage(confirmed));
            }
        }
        return confirmations.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(confirmations).andFailFast().replaceWithVoid();
    }

    private Uni<Void> subscribeOn(RedisConnection connection, String channel) {
        LOG.debugf("Subscribing to %s on shard %s", LogSafe.escaped(channel), name);
        return withTimeout(connection.send(Request.cmd(pubSub.subscribe()).arg(channel)))
                .replaceWithVoid();
    }

    private RedisConnection watched(RedisConnection connection) {
        connection.exceptionHandler(failure -> lost(connection, failure));
        connection.endHandler(
                () ->
                        lost(
                                connection,
                                new EngineUnavailableException("Redis closed the connection")));
        return connection;
    }

    /**
     * A push on the event connection: {@code message <channel> <payload>} (or {@code smessage}).
     */
    private void received(Response push) {
        if (push.size() == 3 && pubSub.pushKind().equals(push.get(0).toString())) {
            listener.published(push.get(1).toString(), push.get(2).toString());
        }
    }

    /**
     * A failure of one connection takes the shard down only while the shard still uses it: the
     * client's pool keeps a connection handed back after a failed connect, handlers and all, and
     * closes it much later; a command's timeout can fire after the shard has reconnected.
     */
    @SuppressWarnings("ReferenceEquality") // which connection it is, not what it holds
    private void lost(RedisConnection connection, Throwable failure) {
        if (connection == commands || connection == events) {
            lost(failure);
        }
    }

    private void lost(Throwable failure) {
        if (!up) {
            return;
        }
        up = false;
        closeConnections();
        listener.lost(this, failure);
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
                                closedNow -> {},
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
                .after(commandTimeout)
                .failWith(
                        () ->
                                new EngineUnavailableException(
                                        "Redis did not answer within " + commandTimeout))
                .onFailure(failure -> !(failure instanceof EngineUnavailableException))
                .transform(
                        failure ->
                                new EngineUnavailableException(
                                        "Redis failed: " + failure.getMessage()));
    }
}
