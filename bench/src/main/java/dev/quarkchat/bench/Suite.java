package dev.quarkchat.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark suite: every server in turn, on one core and the same CPU quota, driven by the
 * generator on the other core. Prints each step as it goes and one table at the end. Run it with
 * {@code bench/run}.
 */
public final class Suite {

    private static final long SETTLE_MILLIS = 5_000;
    private static final double PASSING_SHARE_OF_OFFERED = 0.95;
    private static final double MASS_JOIN_CHECK_SECONDS = 2;
    private static final int CONNECT_WARMUP_ROUND = 5_000;
    private static final int MAX_CONNECT_WARMUP_ROUNDS = 40;
    private static final int ROUNDS_WITHOUT_GAIN = 3;

    /** A warm-up round counts as faster if it beats the best before it by this factor. */
    private static final double WARMUP_GAIN = 1.02;

    private static final double KIB = 1024.0;

    private final Settings settings;
    private final Optional<CpuQuota> quota;
    private final Path publicKey;
    private final String[] tokens;

    /** What one server achieved. */
    private record Row(
            Server.Kind kind,
            LoadGenerator.Step atFixedRate,
            Optional<LoadGenerator.Step> atCapacity,
            Crowd crowd,
            Handshakes handshakes) {}

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
        int needed =
                Math.max(
                        Math.max(settings.clients, settings.idleConnections),
                        Math.max(
                                Math.max(settings.connectCount, CONNECT_WARMUP_ROUND),
                                settings.massJoin));
        System.out.printf("Signing %d tokens (RS256), one per connection...%n", needed);
        String[] tokens = new String[needed];
        for (int i = 0; i < needed; i++) {
            tokens[i] = keys.sign("bench-" + i);
        }
        Suite suite =
                new Suite(
                        settings,
                        CpuQuota.create("quarkchat-bench", settings.quotaPercent),
                        publicKey,
                        tokens);
        List<Row> rows = new ArrayList<>();
        for (Server.Kind kind : settings.servers) {
            rows.add(suite.measure(kind));
        }
        suite.printTable(rows);
    }

    private Row measure(Server.Kind kind) throws Exception {
        System.out.printf("%n== %s ==%n", kind.label);
        Broadcast broadcast = broadcast(kind);
        Crowd crowd = settings.idleConnections > 0 ? crowd(kind) : new Crowd(0, null, 0, 0);
        Handshakes handshakes = settings.connectCount > 0 ? handshakes(kind) : new Handshakes(0, 0);
        return new Row(kind, broadcast.atFixedRate(), broadcast.atCapacity(), crowd, handshakes);
    }

    /** The fixed-rate step and the capacity search, after the warm-up. */
    private record Broadcast(
            LoadGenerator.Step atFixedRate, Optional<LoadGenerator.Step> atCapacity) {}

    /** The mass join, and memory per idle connection. */
    private record Crowd(
            double massJoinSeconds,
            LoadGenerator.Step afterMassJoin,
            double idleBytesFromEmpty,
            double idleBytesSlope) {}

    private Broadcast broadcast(Server.Kind kind) throws Exception {
        try (Server server = start(kind);
                LoadGenerator generator = generator(server)) {
            generator.connect(settings.clients, this::token);
            System.out.printf(
                    "warm-up: %.0f s at %d deliveries/s%n",
                    settings.warmupSeconds, settings.efficiencyRate);
            step(generator, settings.efficiencyRate, settings.warmupSeconds, false);
            LoadGenerator.Step fixed =
                    step(generator, settings.efficiencyRate, settings.stepSeconds, true);
            print("fixed rate", fixed);
            Optional<LoadGenerator.Step> capacity = Optional.empty();
            for (int rate : settings.capacityRates) {
                LoadGenerator.Step step = step(generator, rate, settings.stepSeconds, true);
                print("offered " + rate, step);
                if (failsOnLatencyAlone(step)) {
                    // One late burst (a GC or JIT pause that the quota stretches) can fail a whole
                    // step; a server
                    // that cannot keep up fails it again. A loss or a duplicate is never retried.
                    step = step(generator, rate, settings.stepSeconds, true);
                    print("offered " + rate + " again", step);
                }
                if (!passes(step)) {
                    break;
                }
                capacity = Optional.of(step);
            }
            return new Broadcast(fixed, capacity);
        }
    }

    /**
     * The mass join, then memory per idle connection two ways: from the server's RSS before any
     * connection, and as the slope between the connections after the mass join (or half of them)
     * and all of them. The slope leaves out what a JVM pays once under its first load (eden touched
     * for the first time, JIT code, pools), so it is what one more connection costs; the table
     * shows both.
     */
    private Crowd crowd(Server.Kind kind) throws Exception {
        try (Server server = start(kind);
                LoadGenerator generator = generator(server)) {
            Thread.sleep(SETTLE_MILLIS);
            long empty = ProcessStats.residentBytes(server.pid());
            double massJoinSeconds = 0;
            LoadGenerator.Step afterMassJoin = null;
            if (settings.massJoin > 0) {
                massJoinSeconds = generator.connect(settings.massJoin, this::token);
                afterMassJoin =
                        generator.run(1, 1, MASS_JOIN_CHECK_SECONDS, settings.messageBytes, true);
                System.out.printf(
                        "mass join: %d connections in %.2f s (%.0f/s); then %d deliveries to them, lost %d%n",
                        settings.massJoin,
                        massJoinSeconds,
                        settings.massJoin / massJoinSeconds,
                        afterMassJoin.deliveries(),
                        afterMassJoin.lost());
            } else {
                generator.connect(settings.idleConnections / 2, this::token);
            }
            Thread.sleep(SETTLE_MILLIS);
            int some = generator.connections();
            long withSome = ProcessStats.residentBytes(server.pid());
            generator.connect(settings.idleConnections - some, this::token);
            Thread.sleep(SETTLE_MILLIS);
            long withAll = ProcessStats.residentBytes(server.pid());
            double fromEmpty = (withAll - empty) / (double) settings.idleConnections;
            double slope = (withAll - withSome) / (double) (settings.idleConnections - some);
            System.out.printf(
                    "idle: RSS %.1f MiB empty, %.1f MiB with %d connections, %.1f MiB with %d: "
                            + "%.1f KiB per connection from empty, %.1f KiB from %d to %d%n",
                    empty / KIB / KIB,
                    withSome / KIB / KIB,
                    some,
                    withAll / KIB / KIB,
                    settings.idleConnections,
                    fromEmpty / KIB,
                    slope / KIB,
                    some,
                    settings.idleConnections);
            return new Crowd(massJoinSeconds, afterMassJoin, fromEmpty, slope);
        }
    }

    /**
     * Handshakes per second on a whole core and under the run's quota, after the JIT has warmed up.
     */
    private record Handshakes(double onWholeCore, double underQuota) {}

    /**
     * The warm-up and the first timed round run with the quota lifted: the warm-up takes tens of
     * thousands of handshakes, tens of seconds even on the whole core. The second timed round, in
     * the same process, runs under the quota like the rest.
     */
    @SuppressWarnings(
            "try") // the lifted quota is only held for the block: closing it puts the quota back
    private Handshakes handshakes(Server.Kind kind) throws Exception {
        try (Server server = start(kind)) {
            double onWholeCore;
            try (CpuQuota.Lifted lifted = liftQuota()) {
                warmUpHandshakes(server);
                onWholeCore = timeHandshakes(server, "whole core");
            }
            double underQuota =
                    quota.isPresent()
                            ? timeHandshakes(server, settings.quotaPercent + "% quota")
                            : onWholeCore;
            return new Handshakes(onWholeCore, underQuota);
        }
    }

    private CpuQuota.Lifted liftQuota() throws Exception {
        return quota.isPresent() ? quota.get().lift() : () -> {};
    }

    /**
     * The handshake path runs through far more code than a broadcast (HTTP, security, JWT, endpoint
     * creation), so the JIT needs tens of thousands of handshakes before it is done. Rounds of
     * connections are opened and closed again (which keeps the file descriptors for the timed ones)
     * until {@link #ROUNDS_WITHOUT_GAIN} rounds in a row fail to beat the best before them by
     * {@link #WARMUP_GAIN}.
     */
    private void warmUpHandshakes(Server server) throws Exception {
        double best = 0;
        int roundsWithoutGain = 0;
        for (int round = 1;
                round <= MAX_CONNECT_WARMUP_ROUNDS && roundsWithoutGain < ROUNDS_WITHOUT_GAIN;
                round++) {
            double perSecond;
            try (LoadGenerator generator = generator(server)) {
                perSecond =
                        CONNECT_WARMUP_ROUND / generator.connect(CONNECT_WARMUP_ROUND, this::token);
            }
            System.out.printf("connect warm-up round %d: %.0f/s%n", round, perSecond);
            roundsWithoutGain = perSecond > best * WARMUP_GAIN ? 0 : roundsWithoutGain + 1;
            best = Math.max(best, perSecond);
        }
    }

    private double timeHandshakes(Server server, String label) throws Exception {
        try (LoadGenerator generator = generator(server)) {
            ProcessStats.CpuUse cpu = ProcessStats.CpuUse.from(server.pid());
            double seconds = generator.connect(settings.connectCount, this::token);
            System.out.printf(
                    "connect (%s): %d handshakes in %.2f s, %.0f/s  server CPU %.1f%%  generator CPU %.1f%%%n",
                    label,
                    settings.connectCount,
                    seconds,
                    settings.connectCount / seconds,
                    cpu.serverPercent(seconds),
                    cpu.generatorPercent(seconds));
            return settings.connectCount / seconds;
        }
    }

    private LoadGenerator generator(Server server) {
        return new LoadGenerator(server, settings.offerCompression);
    }

    private Server start(Server.Kind kind) throws Exception {
        return Server.start(kind, settings, quota, publicKey);
    }

    private LoadGenerator.Step step(
            LoadGenerator generator, int deliveriesPerSecond, double seconds, boolean record)
            throws Exception {
        return generator.run(
                settings.senders,
                perSender(deliveriesPerSecond),
                seconds,
                settings.messageBytes,
                record);
    }

    private String token(int index) {
        return tokens[index];
    }

    private double perSender(int deliveriesPerSecond) {
        return deliveriesPerSecond / (double) (settings.senders * settings.clients);
    }

    private boolean passes(LoadGenerator.Step step) {
        return keepsUp(step) && step.p99Millis() < settings.capacityP99Millis;
    }

    private boolean failsOnLatencyAlone(LoadGenerator.Step step) {
        return keepsUp(step) && step.p99Millis() >= settings.capacityP99Millis;
    }

    /** Nothing lost or repeated, and nearly all of the offered rate delivered. */
    private static boolean keepsUp(LoadGenerator.Step step) {
        return step.lost() == 0
                && step.duplicated() == 0
                && step.deliveredPerSecond() >= PASSING_SHARE_OF_OFFERED * step.offeredPerSecond();
    }

    private static void print(String label, LoadGenerator.Step step) {
        System.out.printf(
                Locale.ROOT,
                "%-16s delivered %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms  lost %d  dup %d"
                        + "  server CPU %5.1f%%  generator CPU %5.1f%%  RSS %.0f MiB%n",
                label,
                step.deliveredPerSecond(),
                step.p50Millis(),
                step.p99Millis(),
                step.p999Millis(),
                step.maxMillis(),
                step.lost(),
                step.duplicated(),
                step.serverCpuPercent(),
                step.generatorCpuPercent(),
                step.serverRssBytes() / KIB / KIB);
    }

    private void printTable(List<Row> rows) throws Exception {
        System.out.printf(
                "%n%s; Java %s; Node %s; server on core 0 with a CPU quota of %d%% of one core, "
                        + "generator on core 1; %d clients in one room, %d senders, %d-byte messages%n%n",
                machine(),
                System.getProperty("java.version"),
                nodeVersion(),
                settings.quotaPercent,
                settings.clients,
                settings.senders,
                settings.messageBytes);
        System.out.printf(
                "| Server | Capacity (deliveries/s, p99 < %.0f ms) | p99 at capacity | Server CPU at %,d/s "
                        + "| p99 at %,d/s | Lost / duplicated | Generator CPU at capacity "
                        + "| Idle RSS per connection, one more / from empty (%,d) | Mass join (%,d) "
                        + "| Handshakes/s, whole core / %d%% quota |%n",
                settings.capacityP99Millis,
                settings.efficiencyRate,
                settings.efficiencyRate,
                settings.idleConnections,
                settings.massJoin,
                settings.quotaPercent);
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            Optional<LoadGenerator.Step> capacity = row.atCapacity();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %.1f%% | %.2f ms | %d / %d | %s | %.1f / %.1f KiB | %s | %.0f / %.0f |%n",
                    row.kind().label,
                    capacity.map(step -> format("%.0f", step.deliveredPerSecond()))
                            .orElse("below the first step"),
                    capacity.map(step -> format("%.2f ms", step.p99Millis())).orElse("-"),
                    row.atFixedRate().serverCpuPercent(),
                    row.atFixedRate().p99Millis(),
                    row.atFixedRate().lost() + capacity.map(LoadGenerator.Step::lost).orElse(0L),
                    row.atFixedRate().duplicated()
                            + capacity.map(LoadGenerator.Step::duplicated).orElse(0L),
                    capacity.map(step -> format("%.0f%%", step.generatorCpuPercent())).orElse("-"),
                    row.crowd().idleBytesSlope() / KIB,
                    row.crowd().idleBytesFromEmpty() / KIB,
                    row.crowd().afterMassJoin() == null
                            ? "-"
                            : format(
                                    "%.2f s, lost %d",
                                    row.crowd().massJoinSeconds(),
                                    row.crowd().afterMassJoin().lost()),
                    row.handshakes().onWholeCore(),
                    row.handshakes().underQuota());
        }
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    /** The CPU model and how many cores the machine has (the suite itself sees only its own). */
    private static String machine() throws Exception {
        List<String> cpuInfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
        String model =
                cpuInfo.stream()
                        .filter(line -> line.startsWith("model name"))
                        .findFirst()
                        .map(line -> line.substring(line.indexOf(':') + 2))
                        .orElse("unknown CPU");
        return model
                + ", "
                + cpuInfo.stream().filter(line -> line.startsWith("processor")).count()
                + " cores";
    }

    private static String nodeVersion() throws Exception {
        Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        return new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
