package dev.quarkchat.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The suite's settings: {@code --name value} arguments, each with the default bench/README.md
 * lists.
 */
final class Settings {

    /**
     * Servers to measure, in order: quarkchat, quarkchat-postgres, vertx, node-ws (and
     * quarkchat-native, not by default).
     */
    List<Server.Kind> servers =
            List.of(
                    Server.Kind.QUARKCHAT,
                    Server.Kind.QUARKCHAT_POSTGRES,
                    Server.Kind.VERTX,
                    Server.Kind.NODE_WS);

    /** Connections in the room during the broadcast runs. */
    int clients = 1000;

    /** How many of them send. */
    int senders = 10;

    /** Bytes of message text. */
    int messageBytes = 100;

    /** CPU quota of every server, in percent of one core. */
    int quotaPercent = 40;

    /** The fixed rate at which every server's CPU is compared, in deliveries per second. */
    int efficiencyRate = 20_000;

    /** Offered rates of the capacity search, in deliveries per second, ascending. */
    List<Integer> capacityRates =
            List.of(
                    10_000, 20_000, 25_000, 30_000, 35_000, 40_000, 45_000, 50_000, 55_000, 60_000,
                    70_000, 80_000, 100_000, 120_000, 150_000);

    /** Latency limit of the capacity search: a step whose p99 is above it has failed. */
    double capacityP99Millis = 100;

    double warmupSeconds = 15;
    double stepSeconds = 10;

    /** Idle connections held to measure memory per connection (0 skips). */
    int idleConnections = 19_000;

    /** Handshakes timed to measure the connect rate (0 skips). */
    int connectCount = 5_000;

    /** Connections that join the default room at once, for quarkchat (0 skips). */
    int massJoin = 10_000;

    /** The stores measured with many rooms, in order (an empty list skips it). */
    List<Server.Kind> storeServers = List.of(Server.Kind.QUARKCHAT, Server.Kind.QUARKCHAT_POSTGRES);

    /** Rooms of the store steps, each with its own sender. */
    int storeRooms = 100;

    /** Connections in each of those rooms, its sender included. */
    int storeMembers = 2;

    /** Offered rates of the store steps, in messages per second over all rooms, ascending. */
    List<Integer> storeRates =
            List.of(
                    1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 10_000, 12_000, 15_000,
                    20_000);

    /**
     * CPU quota of the server in the store steps, % of one core: 100 (none) by default, the server
     * and PostgreSQL sharing its core.
     */
    int storeQuotaPercent = 100;

    /**
     * Latency limit of the store steps: a step whose acknowledgement p99 is above it has failed.
     */
    double storeP99Millis = 50;

    /** Messages in the room whose pages are timed (0 skips). */
    int pagingMessages = 1_000_000;

    /** Pages timed, after as many again to warm up. */
    int pagingPages = 10_000;

    /** Messages per page. */
    int pageLimit = 50;

    /** PostgreSQL's programs (initdb, pg_ctl, postgres). */
    Path postgresBinaries = Path.of("/usr/lib/postgresql/15/bin");

    int postgresPort = 15432;

    /** The cores PostgreSQL runs on: the servers' by default, leaving the generator its own. */
    String postgresCores = "0";

    /** Whether the generator's connections offer permessage-deflate, as browsers do. */
    boolean offerCompression = false;

    /**
     * Whether the broadcast steps' connections also talk as the chat page does: a {@code typing}
     * before each message a sender sends, and a {@code read} of the latest message at most once per
     * {@link #readEverySeconds} on every connection.
     */
    boolean chatter = false;

    /**
     * The least time between two {@code read} frames of a connection; 0: the chat page's in a room
     * of {@link #clients}.
     */
    double readEverySeconds = 0;

    /**
     * Pairs of steps at the fixed rate, one without the chatter and one with it, in the same server
     * after the fixed-rate step: what the chatter costs (0: none).
     */
    int chatterPairs = 0;

    /**
     * Whether the capacity search runs without and with the chatter in one server, instead of as
     * {@link #chatter} says: each rate twice, one step of each, each side stopping at its own first
     * failed step.
     */
    boolean chatterCapacity = false;

    /**
     * The scale-out run ({@code --scale-out 1x1,2x1,3x1,3x3}): instances x Redis shards per
     * configuration; none by default.
     */
    List<ScaleOut.Shape> scaleShapes = new ArrayList<>();

    /** Rooms of the scale-out run, spread over its instances. */
    int scaleRooms = 24;

    /** Members of each of its rooms, all on the room's instance. */
    int scaleMembers = 25;

    /** Messages per second into each of its rooms, from one sender. */
    double scaleRoomRate = 10;

    /** How many times each configuration runs (each with its A/B row). */
    int scaleRounds = 2;

    /** The build before per-room channels, for the A/B rows of the scale-out run. */
    Optional<Path> globalBusJar = Optional.empty();

    String serverHeap = "512m";
    int basePort = 18080;
    Path quarkchatJar = Path.of("..", "target", "quarkus-app", "quarkus-run.jar");

    /**
     * The native executable ({@code ./mvnw package -Dnative}) that {@code --servers
     * quarkchat-native} runs.
     */
    Path quarkchatNative = Path.of("..", "target", "quarkchat-1.0.0-SNAPSHOT-runner");

    Path nodeServer = Path.of("node-ws", "server.mjs");

    /** Extra {@code property=value} settings for quarkchat ({@code --set}, repeatable). */
    List<String> serverProperties = new ArrayList<>();

    /**
     * Extra JVM options of the Java servers ({@code --jvm-option}, repeatable), e.g. to record a
     * JFR profile.
     */
    List<String> jvmOptions = new ArrayList<>();

    static Settings parse(String[] args) {
        Settings settings = new Settings();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("No value for " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--servers" -> settings.servers = parseServers(value);
                case "--store-servers" -> settings.storeServers = parseServers(value);
                case "--store-rooms" -> settings.storeRooms = Integer.parseInt(value);
                case "--store-members" -> settings.storeMembers = Integer.parseInt(value);
                case "--store-rates" -> settings.storeRates = parseInts(value);
                case "--store-p99" -> settings.storeP99Millis = Double.parseDouble(value);
                case "--store-quota" -> settings.storeQuotaPercent = Integer.parseInt(value);
                case "--paging-messages" -> settings.pagingMessages = Integer.parseInt(value);
                case "--paging-pages" -> settings.pagingPages = Integer.parseInt(value);
                case "--page-limit" -> settings.pageLimit = Integer.parseInt(value);
                case "--postgres-bin" -> settings.postgresBinaries = Path.of(value);
                case "--postgres-port" -> settings.postgresPort = Integer.parseInt(value);
                case "--postgres-cores" -> settings.postgresCores = value;
                case "--clients" -> settings.clients = Integer.parseInt(value);
                case "--senders" -> settings.senders = Integer.parseInt(value);
                case "--message-bytes" -> settings.messageBytes = Integer.parseInt(value);
                case "--quota" -> settings.quotaPercent = Integer.parseInt(value);
                case "--efficiency-rate" -> settings.efficiencyRate = Integer.parseInt(value);
                case "--rates" -> settings.capacityRates = parseInts(value);
                case "--warmup-seconds" -> settings.warmupSeconds = Double.parseDouble(value);
                case "--step-seconds" -> settings.stepSeconds = Double.parseDouble(value);
                case "--idle" -> settings.idleConnections = Integer.parseInt(value);
                case "--connect" -> settings.connectCount = Integer.parseInt(value);
                case "--mass-join" -> settings.massJoin = Integer.parseInt(value);
                case "--offer-compression" ->
                        settings.offerCompression = Boolean.parseBoolean(value);
                case "--chatter" -> settings.chatter = Boolean.parseBoolean(value);
                case "--chatter-pairs" -> settings.chatterPairs = Integer.parseInt(value);
                case "--chatter-capacity" -> settings.chatterCapacity = Boolean.parseBoolean(value);
                case "--read-every-seconds" ->
                        settings.readEverySeconds = Double.parseDouble(value);
                case "--scale-out" -> settings.scaleShapes = parseShapes(value);
                case "--scale-rooms" -> settings.scaleRooms = Integer.parseInt(value);
                case "--scale-members" -> settings.scaleMembers = Integer.parseInt(value);
                case "--scale-room-rate" -> settings.scaleRoomRate = Double.parseDouble(value);
                case "--scale-rounds" -> settings.scaleRounds = Integer.parseInt(value);
                case "--global-bus-jar" -> settings.globalBusJar = Optional.of(Path.of(value));
                case "--server-heap" -> settings.serverHeap = value;
                case "--quarkchat-jar" -> settings.quarkchatJar = Path.of(value);
                case "--quarkchat-native" -> settings.quarkchatNative = Path.of(value);
                case "--set" -> settings.serverProperties.add(value);
                case "--jvm-option" -> settings.jvmOptions.add(value);
                default ->
                        throw new IllegalArgumentException(
                                "Unknown option " + args[i] + " (see bench/README.md)");
            }
        }
        if (!(settings.readEverySeconds >= 0)) {
            throw new IllegalArgumentException("--read-every-seconds must be 0 or more");
        }
        return settings;
    }

    /** Whether any part of the run needs the run's PostgreSQL. */
    boolean needsPostgres() {
        return servers.contains(Server.Kind.QUARKCHAT_POSTGRES)
                || storeServers.contains(Server.Kind.QUARKCHAT_POSTGRES)
                || pagingMessages > 0;
    }

    /** Server names, comma-separated; {@code none} for none. */
    private static List<Server.Kind> parseServers(String value) {
        List<Server.Kind> kinds = new ArrayList<>();
        if (value.isBlank() || value.equals("none")) {
            return kinds;
        }
        for (String name : value.split(",", -1)) {
            kinds.add(Server.Kind.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        return kinds;
    }

    private static List<ScaleOut.Shape> parseShapes(String value) {
        List<ScaleOut.Shape> shapes = new ArrayList<>();
        if (value.isBlank() || value.equals("none")) {
            return shapes;
        }
        for (String shape : value.split(",", -1)) {
            shapes.add(ScaleOut.Shape.parse(shape));
        }
        return shapes;
    }

    private static List<Integer> parseInts(String value) {
        List<Integer> numbers = new ArrayList<>();
        for (String number : value.split(",", -1)) {
            numbers.add(Integer.parseInt(number.trim()));
        }
        return numbers;
    }
}
