package dev.quarkchat.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The suite's settings: {@code --name value} arguments, each with the default bench/README.md
 * lists.
 */
final class Settings {

    /**
     * Servers to measure, in order: quarkchat, vertx, node-ws (and quarkchat-native, not by
     * default).
     */
    List<Server.Kind> servers =
            new ArrayList<>(List.of(Server.Kind.QUARKCHAT, Server.Kind.VERTX, Server.Kind.NODE_WS));

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

    /** Whether the generator's connections offer permessage-deflate, as browsers do. */
    boolean offerCompression = false;

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
        return settings;
    }

    private static List<Server.Kind> parseServers(String value) {
        List<Server.Kind> kinds = new ArrayList<>();
        for (String name : value.split(",", -1)) {
            kinds.add(Server.Kind.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        return kinds;
    }

    private static List<Integer> parseInts(String value) {
        List<Integer> numbers = new ArrayList<>();
        for (String number : value.split(",", -1)) {
            numbers.add(Integer.parseInt(number.trim()));
        }
        return numbers;
    }
}
