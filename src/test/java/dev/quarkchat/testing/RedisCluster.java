package dev.quarkchat.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster on loopback: Debian's {@code redis-server} 7 processes (the {@code
 * embedded-redis} binary is 6.2, which has no sharded pub/sub), joined with {@code redis-cli
 * --cluster create} into three primaries, and with {@code replicas} replicas of the first one,
 * which take over when a test says so ({@link #promote}). Nodes keep nothing on disk but their
 * cluster configuration, so a killed node can come back empty ({@link #restartEmpty}); a node that
 * fails is declared so after a second, and a cluster missing a shard keeps serving the others'
 * slots.
 */
public final class RedisCluster implements AutoCloseable {

    /** How long a node may be silent before the others declare it failed. */
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** One redis-server process of the cluster. */
    public static final class Node {
        private final int port;
        private final Path directory;
        private Process process;

        private Node(int port, Path directory) {
            this.port = port;
            this.directory = directory;
        }

        public int port() {
            return port;
        }

        /** {@code 127.0.0.1:<port>}, as the cluster names the node. */
        public String address() {
            return "127.0.0.1:" + port;
        }

        private void start() {
            try {
                Files.createDirectories(directory);
                process =
                        new ProcessBuilder(
                                        "redis-server",
                                        "--port",
                                        String.valueOf(port),
                                        "--bind",
                                        "127.0.0.1",
                                        "--dir",
                                        directory.toAbsolutePath().toString(),
                                        "--save",
                                        "",
                                        "--appendonly",
                                        "no",
                                        "--cluster-enabled",
                                        "yes",
                                        "--cluster-config-file",
                                        "nodes.conf",
                                        "--cluster-node-timeout",
                                        String.valueOf(NODE_TIMEOUT.toMillis()),
                                        "--cluster-require-full-coverage",
                                        "no")
                                .redirectErrorStream(true)
                                .redirectOutput(directory.resolve("redis.log").toFile())
                                .start();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot start redis-server (apt-get install redis-server)", e);
            }
            await().atMost(ChatClient.TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> cli(port, "PING").equals("PONG"));
        }
    }

    private static RedisCluster shared;

    private final List<Node> nodes = new ArrayList<>();

    private RedisCluster() {}

    /**
     * A cluster of three primaries that the test profiles share: started on first use, stopped as
     * the test JVM exits.
     */
    public static synchronized RedisCluster shared() {
        if (shared == null) {
            shared = start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Deletes every key of every live node. */
    public void flushAll() {
        nodes.stream()
                .filter(node -> node.process.isAlive())
                .forEach(node -> cli(node.port, "FLUSHALL"));
    }

    /** The sharded channels with a subscriber, on every live node, whose names start so. */
    public List<String> shardChannels(String prefix) {
        return nodes.stream()
                .filter(node -> node.process.isAlive())
                .flatMap(
                        node ->
                                cli(node.port, "PUBSUB", "SHARDCHANNELS", prefix + "*")
                                        .lines()
                                        .filter(line -> !line.isBlank()))
                .collect(Collectors.toList());
    }

    /**
     * Starts three primaries and {@code replicas} replicas of the first, and waits until it is ok.
     */
    public static RedisCluster start(int replicas) {
        RedisCluster cluster = new RedisCluster();
        Path root =
                Path.of("target", "redis-cluster", String.valueOf(ProcessHandle.current().pid()));
        for (int i = 0; i < 3 + replicas; i++) {
            int port = LocalProcess.freePort();
            Node node = new Node(port, root.resolve(String.valueOf(port)));
            node.start();
            cluster.nodes.add(node);
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        cluster.nodes.subList(0, 3).forEach(node -> create.add(node.address()));
        create.add("--cluster-yes");
        run(create);
        Node first = cluster.nodes.get(0);
        for (Node replica : cluster.nodes.subList(3, cluster.nodes.size())) {
            run(
                    List.of(
                            "redis-cli",
                            "--cluster",
                            "add-node",
                            replica.address(),
                            first.address(),
                            "--cluster-slave",
                            "--cluster-master-id",
                            cli(first.port, "CLUSTER", "MYID")));
        }
        for (Node replica : cluster.nodes.subList(3, cluster.nodes.size())) {
            // Promoted when a test says so (promote), so that it can watch the shard down first.
            cli(replica.port, "CONFIG", "SET", "cluster-replica-no-failover", "yes");
        }
        for (Node replica : cluster.nodes.subList(3, cluster.nodes.size())) {
            await().atMost(ChatClient.TIMEOUT)
                    .until(
                            () ->
                                    cli(replica.port, "INFO", "replication")
                                            .contains("master_link_status:up"));
        }
        cluster.awaitHealthy();
        return cluster;
    }

    /** The value of {@code quarkus.redis.hosts}: every node, so that any can answer. */
    public String hosts() {
        return nodes.stream()
                .map(node -> "redis://" + node.address())
                .collect(Collectors.joining(","));
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The primary that serves the key's slot now. */
    public Node primaryOf(String key) {
        Node asked = liveNode();
        String slot = cli(asked.port, "CLUSTER", "KEYSLOT", key);
        for (String line : cli(asked.port, "CLUSTER", "NODES").lines().toList()) {
            String[] fields = line.split(" ", -1);
            if (fields[2].contains("master")
                    && !fields[2].contains("fail")
                    && serves(fields, Integer.parseInt(slot))) {
                return byAddress(fields[1].substring(0, fields[1].indexOf('@')));
            }
        }
        throw new AssertionError("No primary serves slot " + slot);
    }

    /**
     * The first room name of the form {@code <prefix>-<n>} whose slot the node serves ({@code
     * onNode}), or another primary serves.
     */
    public String room(String prefix, Node node, boolean onNode) {
        for (int n = 0; ; n++) {
            String room = prefix + "-" + n;
            if ((primaryOf("{" + room + "}") == node) == onNode) {
                return room;
            }
        }
    }

    /** Kills a node at once (SIGKILL), as a crash does. */
    public void kill(Node node) {
        node.process.destroyForcibly();
        try {
            node.process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts a killed node again, empty but with its cluster configuration, so that it serves its
     * slots again as a primary with a new replication id, and waits until the cluster agrees.
     */
    public void restartEmpty(Node node) {
        node.start();
        awaitPrimary(node);
    }

    /**
     * Has a replica take over its primary's slots now ({@code CLUSTER FAILOVER TAKEOVER}: its
     * primary is dead), and waits until the cluster agrees.
     */
    public void promote(Node replica) {
        cli(replica.port, "CLUSTER", "FAILOVER", "TAKEOVER");
        awaitPrimary(replica);
    }

    /** Waits until every live node sees every slot served and the node a primary. */
    public void awaitPrimary(Node node) {
        await().atMost(ChatClient.TIMEOUT.multipliedBy(2))
                .until(() -> cli(node.port, "ROLE").startsWith("master"));
        awaitHealthy();
    }

    /** Runs a command on one node and returns its reply as {@code redis-cli} prints it. */
    public static String cli(int port, String... command) {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
        line.addAll(List.of(command));
        return run(line).strip();
    }

    private void awaitHealthy() {
        await().atMost(ChatClient.TIMEOUT.multipliedBy(2))
                .until(
                        () ->
                                nodes.stream()
                                        .filter(node -> node.process.isAlive())
                                        .allMatch(
                                                node ->
                                                        cli(node.port, "CLUSTER", "INFO")
                                                                .contains("cluster_state:ok")));
    }

    private Node liveNode() {
        return nodes.stream()
                .filter(node -> node.process.isAlive())
                .findFirst()
                .orElseThrow(() -> new AssertionError("Every node of the cluster is down"));
    }

    private Node byAddress(String address) {
        return nodes.stream()
                .filter(node -> node.address().equals(address))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No node at " + address));
    }

    private static boolean serves(String[] fields, int slot) {
        for (int i = 8; i < fields.length; i++) {
            String[] range = fields[i].split("-", -1);
            if (range[0].startsWith("[")) {
                continue;
            }
            int first = Integer.parseInt(range[0]);
            int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
            if (first <= slot && slot <= last) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run redis-cli (apt-get install redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running " + command.get(0), e);
        }
    }

    @Override
    public void close() {
        nodes.forEach(node -> LocalProcess.stop(node.process, STOP_GRACE));
    }
}
