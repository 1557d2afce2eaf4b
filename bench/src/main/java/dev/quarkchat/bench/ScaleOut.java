package dev.quarkchat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Several instances on a Redis backplane of one or more shards: the same rooms, members and message
 * rate, spread so that each instance holds its own rooms (all members of a room on one instance),
 * as instances and shards are added. Per configuration it prints deliveries per second, the room
 * events each instance took in from Redis, the instances' CPU per delivery and Redis' CPU; with
 * {@code --global-bus-jar} the same configurations run on that build too (every instance subscribed
 * to one channel for every room), so that each row has its A/B beside it.
 */
final class ScaleOut {

    /** The first port of the instances; Redis nodes start at {@link #REDIS_PORT}. */
    private static final int INSTANCE_PORT = 18200;

    private static final int REDIS_PORT = 17000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String EVENTS_RECEIVED = "chat_backplane_events_received_total";

    /** One configuration: how many instances, and how many Redis shards. */
    record Shape(int instances, int shards) {
        static Shape parse(String text) {
            String[] parts = text.trim().split("x", -1);
            return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }

        @Override
        public String toString() {
            return instances + " x " + shards;
        }
    }

    /** What one configuration measured, on one build. */
    record Row(
            String build,
            Shape shape,
            double deliveredPerSecond,
            List<Double> eventsInPerSecond,
            double instancesCpuPercent,
            double cpuMicrosPerDelivery,
            double redisCpuPercent,
            double p99Millis,
            long lostOrDuplicated) {}

    private final Settings settings;
    private final Path publicKey;
    private final IntFunction<String> token;

    ScaleOut(Settings settings, Path publicKey, IntFunction<String> token) {
        this.settings = settings;
        this.publicKey = publicKey;
        this.token = token;
    }

    /** Connections the run opens at most: every room's members. */
    static int connections(Settings settings) {
        return settings.scaleRooms * settings.scaleMembers;
    }

    /** Every configuration on each build, {@code --scale-rounds} times, then the table. */
    void run() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int round = 1; round <= settings.scaleRounds; round++) {
            for (Shape shape : settings.scaleShapes) {
                rows.add(measure("per-room", settings.quarkchatJar, shape));
                if (settings.globalBusJar.isPresent() && shape.shards() == 1) {
                    rows.add(measure("global bus", settings.globalBusJar.get(), shape));
                }
            }
        }
        print(rows);
    }

    private Row measure(String build, Path jar, Shape shape) throws Exception {
        System.out.printf(
                "%n== %s build, %d instance(s), %d Redis shard(s): %d rooms of %d members, %.0f messages/s each ==%n",
                build,
                shape.instances(),
                shape.shards(),
                settings.scaleRooms,
                settings.scaleMembers,
                settings.scaleRoomRate);
        List<Server> servers = new ArrayList<>();
        List<LoadGenerator> generators = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(shape.instances());
        try (RedisServers redis = RedisServers.start(shape.shards(), REDIS_PORT)) {
            List<String> properties = new ArrayList<>(redis.properties());
            properties.add("chat.default-room=");
            for (int i = 0; i < shape.instances(); i++) {
                servers.add(
                        Server.start(
                                Server.Kind.QUARKCHAT,
                                INSTANCE_PORT + i,
                                jar,
                                settings,
                                Optional.empty(),
                                publicKey,
                                Optional.empty(),
                                properties));
            }
            List<List<String>> roomsOf = partition(shape.instances());
            int offset = 0;
            for (int i = 0; i < shape.instances(); i++) {
                LoadGenerator generator = new LoadGenerator(servers.get(i), false, true, false, 0);
                generators.add(generator);
                int first = offset;
                generator.connect(
                        roomsOf.get(i).size() * settings.scaleMembers, n -> token.apply(first + n));
                generator.joinRooms(roomsOf.get(i));
                offset += roomsOf.get(i).size() * settings.scaleMembers;
            }
            System.out.printf("warm-up: %.0f s%n", settings.warmupSeconds);
            runAll(threads, generators, roomsOf, settings.warmupSeconds, false);

            List<Double> eventsBefore = eventsReceived(servers);
            long publishedBefore = redis.published();
            double redisCpuBefore = redis.cpuSeconds();
            long started = System.nanoTime();
            List<LoadGenerator.Step> steps =
                    runAll(threads, generators, roomsOf, settings.stepSeconds, true);
            double seconds = (System.nanoTime() - started) / 1e9;
            double redisCpuPercent = 100 * (redis.cpuSeconds() - redisCpuBefore) / seconds;
            List<Double> eventsAfter = eventsReceived(servers);
            long published = redis.published() - publishedBefore;

            List<Double> eventsIn = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                // The global-bus build has no such counter: each of its instances hears every
                // message published.
                eventsIn.add(
                        (eventsAfter.get(i) >= 0
                                        ? eventsAfter.get(i) - eventsBefore.get(i)
                                        : published)
                                / seconds);
            }
            double delivered =
                    steps.stream().mapToDouble(LoadGenerator.Step::deliveredPerSecond).sum();
            double cpuPercent =
                    steps.stream().mapToDouble(LoadGenerator.Step::serverCpuPercent).sum();
            Row row =
                    new Row(
                            build,
                            shape,
                            delivered,
                            eventsIn,
                            cpuPercent,
                            delivered > 0 ? cpuPercent / 100 * 1e6 / delivered : 0,
                            redisCpuPercent,
                            steps.stream()
                                    .mapToDouble(LoadGenerator.Step::p99Millis)
                                    .max()
                                    .orElse(0),
                            steps.stream()
                                    .mapToLong(step -> step.lost() + step.duplicated())
                                    .sum());
            printRow(row);
            return row;
        } finally {
            for (LoadGenerator generator : generators) {
                generator.close();
            }
            servers.forEach(Server::close);
            threads.shutdownNow();
        }
    }

    /** Room r goes to instance r modulo their number. */
    private List<List<String>> partition(int instances) {
        List<List<String>> rooms = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            rooms.add(new ArrayList<>());
        }
        for (int room = 0; room < settings.scaleRooms; room++) {
            rooms.get(room % instances).add("scale-" + room);
        }
        return rooms;
    }

    /** Every generator's step at once: one sender per room, at the room rate. */
    private List<LoadGenerator.Step> runAll(
            ExecutorService threads,
            List<LoadGenerator> generators,
            List<List<String>> roomsOf,
            double seconds,
            boolean record)
            throws Exception {
        List<CompletableFuture<LoadGenerator.Step>> running = new ArrayList<>();
        for (int i = 0; i < generators.size(); i++) {
            LoadGenerator generator = generators.get(i);
            int senders = roomsOf.get(i).size();
            running.add(
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return generator.run(
                                            senders,
                                            settings.scaleRoomRate,
                                            seconds,
                                            settings.messageBytes,
                                            record);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            threads));
        }
        List<LoadGenerator.Step> steps = new ArrayList<>();
        for (CompletableFuture<LoadGenerator.Step> step : running) {
            steps.add(step.get());
        }
        return steps;
    }

    /**
     * Each instance's count of room events received, or -1 for a build that does not count them.
     */
    private static List<Double> eventsReceived(List<Server> servers) throws Exception {
        List<Double> counts = new ArrayList<>();
        for (Server server : servers) {
            String scrape =
                    HTTP.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + server.port
                                                                    + "/q/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            counts.add(
                    scrape.lines()
                            .filter(line -> line.startsWith(EVENTS_RECEIVED + " "))
                            .map(
                                    line ->
                                            Double.parseDouble(
                                                    line.substring(EVENTS_RECEIVED.length())
                                                            .trim()))
                            .findFirst()
                            .orElse(-1.0));
        }
        return counts;
    }

    private static void printRow(Row row) {
        System.out.println(
                format(
                        "%-10s %-7s delivered %8.0f/s  events in per instance %-22s  instances CPU"
                                + " %6.1f%%  %5.2f µs/delivery  Redis CPU %5.1f%%  p99 %6.2f ms"
                                + "  lost+dup %d",
                        row));
    }

    /** The row's figures in that pattern, in the order of {@link Row}'s fields. */
    private static String format(String pattern, Row row) {
        return String.format(
                Locale.ROOT,
                pattern,
                row.build(),
                row.shape(),
                row.deliveredPerSecond(),
                eventsIn(row),
                row.instancesCpuPercent(),
                row.cpuMicrosPerDelivery(),
                row.redisCpuPercent(),
                row.p99Millis(),
                row.lostOrDuplicated());
    }

    private static String eventsIn(Row row) {
        return row.eventsInPerSecond().stream()
                .map(events -> String.format(Locale.ROOT, "%.0f", events))
                .collect(Collectors.joining(" / "));
    }

    private void print(List<Row> rows) {
        System.out.printf(
                "%n| Build | Instances x shards | Deliveries/s | Events in per instance (/s) | Instances CPU | CPU per delivery | Redis CPU | p99 | Lost or doubled |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|%n");
        for (Row row : rows) {
            System.out.println(
                    format(
                            "| %s | %s | %.0f | %s | %.1f%% | %.2f µs | %.1f%% | %.1f ms | %d |",
                            row));
        }
    }
}
