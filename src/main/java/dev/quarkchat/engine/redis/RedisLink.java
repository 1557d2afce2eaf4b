package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.engine.RoomEvent;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.LiveGauge;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.scheduling.PeriodicTasks;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This instance's link to Redis: one {@link RedisShard} per shard of a Redis Cluster ({@code
 * quarkus.redis.client-type=cluster}), or one for a single Redis. A script runs on the shard that
 * owns its first key's slot; a room's channel is held on its shard while the room has members here
 * ({@link RoomChannels}), so that this instance hears no other room's events; the shared channel
 * (moderation, user notices) is held all the time. A shard that fails is retried every {@code
 * chat.backplane.redis.check-interval} (on a cluster, after asking the cluster which node serves
 * its slots now, so that a promoted replica is found); the other shards go on meanwhile. A working
 * shard is checked with PING at the same pace, so that a Redis that hangs is noticed too.
 *
 * <p>The link opens its own connection to each cluster node rather than use the client's cluster
 * mode, which cannot subscribe on a node it connects to later, and fails to connect while any node
 * is down.
 */
@ApplicationScoped
public class RedisLink implements RedisShard.Listener {

    private static final Logger LOG = Logger.getLogger(RedisLink.class);

    private final Instance<Redis> client;
    private final Vertx vertx;
    private final RedisClientOptions clientOptions;
    private final PeriodicTasks tasks;
    private final ChatMetrics metrics;
    private final RedisBackplaneConfig config;
    private final String channel;

    /** The rooms whose channels this instance holds; guarded by this link. */
    private final RoomChannels roomChannels;

    /** A client per cluster node this link has reached, by address. */
    private final Map<String, Redis> nodeClients = new ConcurrentHashMap<>();

    /** The shards and which slots each serves; replaced whole when the cluster changes. */
    private record Topology(ClusterSlots slots, Map<String, RedisShard> shards) {}

    /** The shards whose link state is a metric already: one series per shard name, ever. */
    private final Set<String> observedShards = ConcurrentHashMap.newKeySet();

    private volatile Topology topology;
    private volatile PubSub pubSub = PubSub.CLASSIC;
    private volatile boolean cluster;
    private volatile boolean askingCluster;
    private volatile boolean clusterChanged;
    private volatile boolean stopped;
    private Consumer<RoomEvent> eventHandler;
    private Runnable restoredHandler;
    private volatile Consumer<String> moderationHandler = payload -> {};
    private volatile Consumer<String> userNoticeHandler = payload -> {};

    RedisLink(
            Instance<Redis> client,
            Vertx vertx,
            RedisClientOptions clientOptions,
            PeriodicTasks tasks,
            ChatMetrics metrics,
            RedisBackplaneConfig config) {
        this.client = client;
        this.vertx = vertx;
        this.clientOptions = clientOptions;
        this.tasks = tasks;
        this.metrics = metrics;
        this.config = config;
        this.channel = sharedKey("events");
        this.roomChannels = new RoomChannels(config.channelGrace());
    }

    /**
     * Connects, and keeps connecting. Each event is handed to {@code eventHandler}; {@code
     * restoredHandler} runs every time a shard comes up, for the rooms to catch up with what they
     * may have missed.
     */
    public synchronized void start(Consumer<RoomEvent> eventHandler, Runnable restoredHandler) {
        this.eventHandler = eventHandler;
        this.restoredHandler = restoredHandler;
        Redis redis = client.get();
        RedisOptions options = clientOptions.get();
        cluster = options.getType() == RedisClientType.CLUSTER;
        metrics.observe(LiveGauge.BACKPLANE_CHANNELS, this::channelCount);
        if (cluster) {
            pubSub = PubSub.SHARDED;
            askCluster();
        } else {
            // Sentinel tells the client where the primary is at each connect.
            String address =
                    options.getType() == RedisClientType.SENTINEL
                            ? options.getMasterName()
                                    + " via Sentinel "
                                    + printable(options.getEndpoint())
                            : printable(options.getEndpoint());
            ClusterSlots single = ClusterSlots.single(address);
            String name = single.shards().get(0).name();
            adopt(
                    single,
                    Map.of(
                            name,
                            new RedisShard(
                                    name,
                                    address,
                                    redis::connect,
                                    pubSub,
                                    config.commandTimeout(),
                                    this)));
            connectShards();
        }
        tasks.every(config.checkInterval(), "Redis link check", this::check);
    }

    /**
     * Whether every shard is connected and subscribed: the rooms of every instance are reachable.
     */
    public boolean isUp() {
        Topology current = topology;
        return current != null && current.shards().values().stream().allMatch(RedisShard::isUp);
    }

    /** Whether the shard of the room is connected: its operations can be carried out. */
    public boolean isUp(String room) {
        RedisShard shard = shardOf(roomChannel(room));
        return shard != null && shard.isUp();
    }

    /** The shards that are down now, by name. */
    public List<String> unreachableShards() {
        Topology current = topology;
        if (current == null) {
            return List.of("all");
        }
        return current.shards().values().stream()
                .filter(shard -> !shard.isUp())
                .map(RedisShard::name)
                .toList();
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
     * at once while its shard is down (the shard subscribes it as it comes up, and the rooms catch
     * up then).
     */
    synchronized CompletionStage<Void> holdRoom(String room) {
        roomChannels.hold(room);
        RedisShard shard = shardOf(roomChannel(room));
        return shard == null
                ? CompletableFuture.completedFuture(null)
                : shard.subscribe(roomChannel(room));
    }

    /**
     * The room has no member here now: its channel goes once {@code
     * chat.backplane.redis.channel-grace} is over.
     */
    synchronized void releaseRoom(String room) {
        roomChannels.release(room, System.nanoTime());
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
     * Runs a script on the shard of its first key; fails with {@link EngineUnavailableException}
     * while that shard is down.
     */
    Uni<Response> run(RedisScript script, List<String> keys, List<String> args) {
        RedisShard shard = shardOf(keys.get(0));
        if (shard == null) {
            return Uni.createFrom()
                    .failure(
                            new EngineUnavailableException(
                                    "no Redis shard serves the slot of " + keys.get(0)));
        }
        return shard.run(script, keys, args)
                .onFailure(RedisLink::movedAway)
                .invoke(moved -> clusterChanged = true);
    }

    /** Redis says another node serves the slot now: the cluster failed over or was resharded. */
    private static boolean movedAway(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return message.contains("MOVED") || message.contains("CLUSTERDOWN");
    }

    private RedisShard shardOf(String key) {
        Topology current = topology;
        if (current == null) {
            return null;
        }
        ClusterSlots.Shard shard = current.slots().shardOf(key);
        return shard == null ? null : current.shards().get(shard.name());
    }

    @Override
    public void published(String from, String payload) {
        if (!channel.equals(from)) {
            roomEvent(payload);
        } else if (RedisModerationFormat.isCommand(payload)) {
            moderationHandler.accept(payload);
        } else if (RedisUserBus.isNotice(payload)) {
            userNoticeHandler.accept(payload);
        }
    }

    @Override
    public void connected(RedisShard shard) {
        // Rooms held while the shard was connecting are subscribed now.
        channelsOf(shard).forEach(shard::subscribe);
        restoredHandler.run();
    }

    @Override
    public void lost(RedisShard shard, Throwable failure) {
        clusterChanged = cluster;
        LOG.warnf(
                "Lost Redis shard %s at %s (%s): retrying every %s; its rooms' sends and joins are answered 'unavailable'",
                shard.name(), shard.address(), failure.toString(), config.checkInterval());
    }

    private void roomEvent(String payload) {
        RedisEventFormat.parse(payload)
                .ifPresentOrElse(
                        event -> {
                            metrics.backplaneEventReceived(hasMembersHere(event.room()));
                            eventHandler.accept(event);
                        },
                        () ->
                                LOG.warnf(
                                        "Ignored an event this version does not understand: %.80s",
                                        LogSafe.escaped(payload)));
    }

    private void check() {
        if (stopped) {
            return;
        }
        letExpiredRoomsGo();
        Topology current = topology;
        boolean anyDown =
                current == null || !current.shards().values().stream().allMatch(RedisShard::isUp);
        if (cluster && (anyDown || clusterChanged)) {
            askCluster();
            return;
        }
        current.shards().values().forEach(RedisShard::ping);
        connectShards();
    }

    private void connectShards() {
        Topology current = topology;
        if (current == null || stopped) {
            return;
        }
        for (RedisShard shard : current.shards().values()) {
            if (!shard.isUp() && !shard.isConnecting()) {
                shard.connect(channelsOf(shard));
            }
        }
    }

    /**
     * The channels this instance holds on a shard: the shared one (on its shard) and its rooms'.
     */
    private synchronized Set<String> channelsOf(RedisShard shard) {
        Set<String> channels = new LinkedHashSet<>();
        if (shardOf(channel) == shard) {
            channels.add(channel);
        }
        for (String room : roomChannels.held()) {
            if (shardOf(roomChannel(room)) == shard) {
                channels.add(roomChannel(room));
            }
        }
        return channels;
    }

    private synchronized boolean hasMembersHere(String room) {
        return roomChannels.inUse(room);
    }

    private synchronized int channelCount() {
        return roomChannels.held().size();
    }

    private synchronized void letExpiredRoomsGo() {
        for (String room : roomChannels.expired(System.nanoTime())) {
            RedisShard shard = shardOf(roomChannel(room));
            if (shard != null) {
                shard.unsubscribe(roomChannel(room));
            }
        }
    }

    /**
     * Asks the cluster, through any node this link knows, which primary serves which slots, then
     * puts a shard on each primary (keeping those that did not move) and connects the ones that are
     * down.
     */
    private void askCluster() {
        if (askingCluster || stopped) {
            return;
        }
        askingCluster = true;
        clusterChanged = false;
        askSlots(new ArrayList<>(knownNodes()), 0)
                .subscribe()
                .with(
                        slots -> {
                            askingCluster = false;
                            adopt(slots, shardsOn(slots));
                            connectShards();
                        },
                        failure -> {
                            askingCluster = false;
                            clusterChanged = true;
                            LOG.debugf("No Redis Cluster node answered: %s", failure.toString());
                        });
    }

    /** The configured nodes, then the primaries of the last known topology. */
    private Set<String> knownNodes() {
        Set<String> nodes = new LinkedHashSet<>();
        clientOptions.get().getEndpoints().forEach(endpoint -> nodes.add(printable(endpoint)));
        Topology current = topology;
        if (current != null) {
            current.shards().values().forEach(shard -> nodes.add(shard.address()));
        }
        return nodes;
    }

    private Uni<ClusterSlots> askSlots(List<String> nodes, int index) {
        if (index >= nodes.size()) {
            return Uni.createFrom()
                    .failure(new EngineUnavailableException("no Redis Cluster node answered"));
        }
        String node = nodes.get(index);
        return nodeClient(node)
                .connect()
                .chain(
                        connection ->
                                connection
                                        .send(Request.cmd(Command.CLUSTER).arg("SLOTS"))
                                        .eventually(connection::close))
                .ifNoItem()
                .after(config.commandTimeout())
                .fail()
                .map(reply -> ClusterSlots.of(ranges(reply, node)))
                .onFailure()
                .recoverWithUni(failure -> askSlots(nodes, index + 1));
    }

    /**
     * The ranges of a {@code CLUSTER SLOTS} reply: {@code [first, last, [host, port, id],
     * replicas...]} each; an empty host means the node that answered.
     */
    private static List<ClusterSlots.Range> ranges(Response reply, String answered) {
        List<ClusterSlots.Range> ranges = new ArrayList<>();
        for (Response range : reply) {
            Response primary = range.get(2);
            String host = primary.get(0).toString();
            if (host.isEmpty() || "?".equals(host)) {
                host = answered.substring(0, answered.lastIndexOf(':'));
            }
            ranges.add(
                    new ClusterSlots.Range(
                            range.get(0).toInteger(),
                            range.get(1).toInteger(),
                            host + ":" + primary.get(1).toInteger()));
        }
        return ranges;
    }

    /** A shard on each primary of the cluster; those whose primary did not move are kept. */
    private synchronized Map<String, RedisShard> shardsOn(ClusterSlots slots) {
        Topology current = topology;
        Map<String, RedisShard> shards = new LinkedHashMap<>();
        for (ClusterSlots.Shard shard : slots.shards()) {
            RedisShard kept = current == null ? null : current.shards().get(shard.name());
            if (kept != null && kept.address().equals(shard.primary())) {
                shards.put(shard.name(), kept);
            } else {
                Redis node = nodeClient(shard.primary());
                shards.put(
                        shard.name(),
                        new RedisShard(
                                shard.name(),
                                shard.primary(),
                                node::connect,
                                pubSub,
                                config.commandTimeout(),
                                this));
            }
        }
        return shards;
    }

    /** Takes the new shards; those it no longer has are closed. */
    private synchronized void adopt(ClusterSlots slots, Map<String, RedisShard> shards) {
        Topology current = topology;
        if (current != null) {
            current.shards().values().stream()
                    .filter(shard -> !shards.containsValue(shard))
                    .forEach(
                            moved -> {
                                LOG.infof(
                                        "Redis shard %s moved from %s",
                                        moved.name(), moved.address());
                                moved.close();
                            });
        }
        topology = new Topology(slots, shards);
        for (String name : shards.keySet()) {
            if (observedShards.add(name)) {
                metrics.observeShard(name, () -> shardUp(name) ? 1 : 0);
            }
        }
    }

    private boolean shardUp(String name) {
        RedisShard shard = topology.shards().get(name);
        return shard != null && shard.isUp();
    }

    /** A client of one cluster node, with the settings of {@code quarkus.redis.*}. */
    private Redis nodeClient(String address) {
        return nodeClients.computeIfAbsent(
                address,
                node -> {
                    RedisOptions options = new RedisOptions(clientOptions.get());
                    options.setType(RedisClientType.STANDALONE);
                    options.setEndpoints(new ArrayList<>(List.of(nodeUri(node))));
                    return Redis.createClient(vertx, options);
                });
    }

    /** A node's address as a URI with the scheme and credentials of the configured hosts. */
    private String nodeUri(String address) {
        URI seed = URI.create(clientOptions.get().getEndpoint());
        String credentials = seed.getRawUserInfo() == null ? "" : seed.getRawUserInfo() + "@";
        return seed.getScheme() + "://" + credentials + address;
    }

    /** An endpoint as {@code host:port}: what logs and metrics may show of it (no password). */
    private static String printable(String endpoint) {
        URI uri = URI.create(endpoint);
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    synchronized void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        Topology current = topology;
        if (current != null) {
            current.shards().values().forEach(RedisShard::close);
        }
        nodeClients.values().forEach(Redis::close);
    }
}
