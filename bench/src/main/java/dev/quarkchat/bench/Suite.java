package dev.quarkchat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The benchmark suite: every server in turn, on one core and the same CPU quota, driven by the generator
 * on the other core. Prints each step as it goes and one table at the end. Run it with {@code bench/run}.
 */
public final class Suite {

    private static final long SETTLE_MILLIS = 5_000;
    private static final double PASSING_SHARE_OF_OFFERED = 0.95;
    private static final double MASS_JOIN_CHECK_SECONDS = 2;
    private static final int CONNECT_WARMUP = 1_000;
    private static final double KIB = 1024.0;

    private final Settings settings;
    private final Optional<CpuQuota> quota;
    private final Path publicKey;
    private final String[] tokens;

    /** What one server achieved. */
    private record Row(Server.Kind kind, LoadGenerator.Step atFixedRate, Optional<LoadGenerator.Step> atCapacity,
            double idleBytesPerConnection, double massJoinSeconds, LoadGenerator.Step afterMassJoin,
            double handshakesPerSecond) {
    }

    private Suite(Settings settings, Optional<CpuQuota> quota, Path publicKey, String[] tokens) {
        this.settings = settings;
        this.quota = quota;
        this.publicKey = publicKey;
        this.tokens = tokens;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Tokens keys = Tokens.generate();
        Path publicKey = keys.writePublicKey(Path.of("target", "bench-public-key.pem"));
        int needed = Math.max(Math.max(settings.clients, settings.idleConnections),
                Math.max(settings.connectCount + CONNECT_WARMUP, settings.massJoin));
        System.out.printf("Signing %d tokens (RS256), one per connection...%n", needed);
        String[] tokens = new String[needed];
        for (int i = 0; i < needed; i++) {
            tokens[i] = keys.sign("bench-" + i);
        }
        Suite suite = new Suite(settings, CpuQuota.create("quarkchat-bench", settings.quotaPercent), publicKey, tokens);
        List<Row> rows = new ArrayList<>();
        for (Server.Kind kind : settings.servers) {
            rows.add(suite.measure(kind));
        }
        suite.printTable(rows);
    }

    private Row measure(Server.Kind kind) throws Exception {
        System.out.printf("%n== %s ==%n", kind.label);
        LoadGenerator.Step fixed;
        Optional<LoadGenerator.Step> capacity = Optional.empty();
        try (Server server = Server.start(kind, settings, quota, publicKey); LoadGenerator generator = new LoadGenerator(server)) {
            generator.connect(settings.clients, token());
            System.out.printf("warm-up: %.0f s at %d deliveries/s%n", settings.warmupSeconds, settings.efficiencyRate);
            generator.run(settings.senders, perSender(settings.efficiencyRate), settings.warmupSeconds, settings.messageBytes, false);
            fixed = generator.run(settings.senders, perSender(settings.efficiencyRate), settings.stepSeconds,
                    settings.messageBytes, true);
            print("fixed rate", fixed);
            for (int rate : settings.capacityRates) {
                LoadGenerator.Step step = generator.run(settings.senders, perSender(rate), settings.stepSeconds,
                        settings.messageBytes, true);
                print("offered " + rate, step);
                if (!passes(step)) {
                    break;
                }
                capacity = Optional.of(step);
            }
        }
        double massJoinSeconds = 0;
        LoadGenerator.Step afterMassJoin = null;
        double idlePerConnection = 0;
        if (settings.idleConnections > 0) {
            try (Server server = Server.start(kind, settings, quota, publicKey); LoadGenerator generator = new LoadGenerator(server)) {
                Thread.sleep(SETTLE_MILLIS);
                long before = ProcessStats.residentBytes(server.pid());
                if (settings.massJoin > 0) {
                    massJoinSeconds = generator.connect(settings.massJoin, token());
                    afterMassJoin = generator.run(1, 1, MASS_JOIN_CHECK_SECONDS, settings.messageBytes, true);
                    System.out.printf("mass join: %d connections in %.2f s (%.0f/s); then %d deliveries to them, lost %d%n",
                            settings.massJoin, massJoinSeconds, settings.massJoin / massJoinSeconds, afterMassJoin.deliveries(),
                            afterMassJoin.lost());
                }
                generator.connect(settings.idleConnections - generator.connections(), token());
                Thread.sleep(SETTLE_MILLIS);
                long after = ProcessStats.residentBytes(server.pid());
                idlePerConnection = (after - before) / (double) settings.idleConnections;
                System.out.printf("idle: %d connections, RSS %.1f MiB -> %.1f MiB, %.1f KiB per connection%n",
                        settings.idleConnections, before / KIB / KIB, after / KIB / KIB, idlePerConnection / KIB);
            }
        }
        double handshakes = 0;
        if (settings.connectCount > 0) {
            try (Server server = Server.start(kind, settings, quota, publicKey); LoadGenerator generator = new LoadGenerator(server)) {
                generator.connect(CONNECT_WARMUP, token());
                double seconds = generator.connect(settings.connectCount, index -> tokens[CONNECT_WARMUP + index]);
                handshakes = settings.connectCount / seconds;
                System.out.printf("connect: %d handshakes in %.2f s, %.0f/s%n", settings.connectCount, seconds, handshakes);
            }
        }
        return new Row(kind, fixed, capacity, idlePerConnection, massJoinSeconds, afterMassJoin, handshakes);
    }

    private IntFunction<String> token() {
        return index -> tokens[index];
    }

    private double perSender(int deliveriesPerSecond) {
        return deliveriesPerSecond / (double) (settings.senders * settings.clients);
    }

    private boolean passes(LoadGenerator.Step step) {
        return step.lost() == 0 && step.duplicated() == 0 && step.p99Millis() < settings.capacityP99Millis
                && step.deliveredPerSecond() >= PASSING_SHARE_OF_OFFERED * step.offeredPerSecond();
    }

    private static void print(String label, LoadGenerator.Step step) {
        System.out.printf(Locale.ROOT,
                "%-16s delivered %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms  lost %d  dup %d"
                        + "  server CPU %5.1f%%  generator CPU %5.1f%%  RSS %.0f MiB%n",
                label, step.deliveredPerSecond(), step.p50Millis(), step.p99Millis(), step.p999Millis(), step.maxMillis(),
                step.lost(), step.duplicated(), step.serverCpuPercent(), step.generatorCpuPercent(),
                step.serverRssBytes() / KIB / KIB);
    }

    private void printTable(List<Row> rows) throws Exception {
        System.out.printf("%n%s; Java %s; Node %s; server on core 0 with a CPU quota of %d%% of one core, generator on core 1"
                + "; %d clients in one room, %d senders, %d-byte messages%n%n", cpuModel(), System.getProperty("java.version"),
                nodeVersion(), settings.quotaPercent, settings.clients, settings.senders, settings.messageBytes);
        System.out.printf("| Server | Capacity (deliveries/s, p99 < %.0f ms) | p99 at capacity | Server CPU at %,d/s "
                + "| p99 at %,d/s | Lost / duplicated | Generator CPU at capacity | Idle RSS per connection (%,d) "
                + "| Mass join (%,d) | Handshakes/s |%n", settings.capacityP99Millis, settings.efficiencyRate,
                settings.efficiencyRate, settings.idleConnections, settings.massJoin);
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f%% | %.2f ms | %d / %d | %s | %.1f KiB | %s | %.0f |%n",
                    row.kind().label,
                    row.atCapacity().map(step -> String.format(Locale.ROOT, "%.0f", step.deliveredPerSecond())).orElse("below the first step"),
                    row.atCapacity().map(step -> String.format(Locale.ROOT, "%.2f ms", step.p99Millis())).orElse("-"),
                    row.atFixedRate().serverCpuPercent(), row.atFixedRate().p99Millis(),
                    row.atFixedRate().lost() + row.atCapacity().map(LoadGenerator.Step::lost).orElse(0L),
                    row.atFixedRate().duplicated() + row.atCapacity().map(LoadGenerator.Step::duplicated).orElse(0L),
                    row.atCapacity().map(step -> String.format(Locale.ROOT, "%.0f%%", step.generatorCpuPercent())).orElse("-"),
                    row.idleBytesPerConnection() / KIB,
                    row.afterMassJoin() == null ? "-" : String.format(Locale.ROOT, "%.2f s, lost %d", row.massJoinSeconds(),
                            row.afterMassJoin().lost()),
                    row.handshakesPerSecond());
        }
    }

    private static String cpuModel() throws Exception {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 2)).orElse("unknown CPU")
                + ", " + Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("processor")).count()
                + " cores";
    }

    private static String nodeVersion() throws Exception {
        Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        return new String(node.getInputStream().readAllBytes()).trim();
    }
}
