package dev.quarkchat.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** The database of the PostgreSQL store's server; each server it starts gets it anew. */
    private static final String STORE_DATABASE = "quarkchat";

    /** The store's statement of a batch of messages (group commit). */
    private static final String APPEND_FUNCTION = "chat_append";

    private final Settings settings;
    private final Optional<CpuQuota> quota;
    private final Optional<CpuQuota> storeQuota;
    private final Path publicKey;
    private final String[] tokens;
    private final Optional<Database> database;

    /** What one server achieved. */
    private record Row(
            Server.Kind kind,
            LoadGenerator.Step atFixedRate,
            Optional<LoadGenerator.Step> atCapacity,
            Crowd crowd,
            Handshakes handshakes) {}

    /** One step of the store run: its offered rate, what it saw, and the store's commits. */
    private record StoreStep(
            int offeredMessages,
            LoadGenerator.Step step,
            Optional<Database.FunctionStats> commits,
            boolean passed) {}

    /**
     * A store run of one server: its steps, and for the PostgreSQL store how many messages it holds
     * at the end beside how many were sent.
     */
    private record StoreRun(
            Server.Kind kind, List<StoreStep> steps, long sent, Optional<Long> stored) {

        /**
         * The last rate that passed before the first that failed, each rate judged by its last try.
         */
        Optional<StoreStep> capacity() {
            StoreStep last = null;
            for (int i = 0; i < steps.size(); i++) {
                StoreStep step = steps.get(i);
                boolean retried =
                        i + 1 < steps.size()
                                && steps.get(i + 1).offeredMessages() == step.offeredMessages();
                if (retried) {
                    continue;
                }
                if (!step.passed()) {
                    break;
                }
                last = step;
            }
            return Optional.ofNullable(last);
        }

        /** The step at an offered rate, its last try if it ran twice. */
        Optional<StoreStep> at(int offeredMessages) {
            StoreStep found = null;
            for (StoreStep step : steps) {
                if (step.offeredMessages() == offeredMessages) {
                    found = step;
                }
            }
            return Optional.ofNullable(found);
        }
    }

    private Suite(
            Settings settings,
            Optional<CpuQuota> quota,
            Optional<CpuQuota> storeQuota,
            Path publicKey,
            String[] tokens,
            Optional<Database> database) {
        this.settings = settings;
        this.quota = quota;
        this.storeQuota = storeQuota;
        this.publicKey = publicKey;
        this.tokens = tokens;
        this.database = database;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Tokens keys = Tokens.generate();
        Path publicKey = keys.writePublicKey(Path.of("target", "bench-public-key.pem"));
        int needed =
                Math.max(
                        Math.max(
                                Math.max(settings.clients, settings.idleConnections),
                                Math.max(
                                        Math.max(settings.connectCount, CONNECT_WARMUP_ROUND),
                                        settings.massJoin)),
                        Math.max(
                                settings.storeRooms * settings.storeMembers,
                                ScaleOut.connections(settings)));
        System.out.printf("Signing %d tokens (RS256), one per connection...%n", needed);
        String[] tokens = new String[needed];
        for (int i = 0; i < needed; i++) {
            tokens[i] = keys.sign("bench-" + i);
        }
        Optional<Database> database =
                settings.needsPostgres()
                        ? Optional.of(
                                Database.start(
                                        settings.postgresBinaries,
                                        Path.of("target", "postgres"),
                                        settings.postgresPort,
                                        settings.postgresCores))
                        : Optional.empty();
        try {
            Suite suite =
                    new Suite(
                            settings,
                            CpuQuota.create("quarkchat-bench", settings.quotaPercent),
                            settings.storeQuotaPercent < 100
                                    ? CpuQuota.create(
                                            "quarkchat-bench-store", settings.storeQuotaPercent)
                                    : Optional.empty(),
                            publicKey,
                            tokens,
                            database);
            List<Row> rows = new ArrayList<>();
            for (Server.Kind kind : settings.servers) {
                rows.add(suite.measure(kind));
            }
            List<StoreRun> storeRuns = new ArrayList<>();
            for (Server.Kind kind : settings.storeServers) {
                storeRuns.add(suite.store(kind));
            }
            Optional<PageTiming.Result> paging =
                    settings.pagingMessages > 0 ? Optional.of(suite.paging()) : Optional.empty();
            if (!rows.isEmpty()) {
                suite.printTable(rows);
            }
            if (!storeRuns.isEmpty()) {
                suite.printStoreTables(storeRuns);
            }
            paging.ifPresent(Suite::printPaging);
            if (!settings.scaleShapes.isEmpty()) {
                new ScaleOut(settings, publicKey, suite::token).run();
            }
        } finally {
            if (database.isPresent()) {
                database.get().close();
            }
        }
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
            if (kind.chatProtocol) {
                reportRefusedJoins(generator.awaitJoined());
            }
            System.out.printf(
                    "warm-up: %.0f s at %d deliveries/s%n",
                    settings.warmupSeconds, settings.efficiencyRate);
            generator.chatter(
                    settings.chatter || settings.chatterPairs > 0 || settings.chatterCapacity);
            step(generator, settings.efficiencyRate, settings.warmupSeconds, false);
            generator.chatter(settings.chatter);
            LoadGenerator.Step fixed =
                    step(generator, settings.efficiencyRate, settings.stepSeconds, true);
            print("fixed rate", fixed);
            if (settings.chatterPairs > 0) {
                chatterCost(generator);
            }
            if (settings.chatterCapacity) {
                chatterCapacity(generator);
                return new Broadcast(fixed, Optional.empty());
            }
            Optional<LoadGenerator.Step> capacity = Optional.empty();
            for (int rate : settings.capacityRates) {
                LoadGenerator.Step step = capacityStep(generator, rate, "offered " + rate);
                if (!passes(step)) {
                    break;
                }
                capacity = Optional.of(step);
            }
            return new Broadcast(fixed, capacity);
        }
    }

    /** One step of a capacity search, twice if it failed on latency alone. */
    private LoadGenerator.Step capacityStep(LoadGenerator generator, int rate, String label)
            throws Exception {
        LoadGenerator.Step step = step(generator, rate, settings.stepSeconds, true);
        print(label, step);
        if (failsOnLatencyAlone(step)) {
            // One late burst (a GC or JIT pause that the quota stretches) can fail a whole step; a
            // server that cannot keep up fails it again. A loss or a duplicate is never retried.
            step = step(generator, rate, settings.stepSeconds, true);
            print(label + " again", step);
        }
        return step;
    }

    /**
     * The capacity search without and with the chatter in one server: at each rate a step of each
     * (in the other order than at the last rate), each side stopping at its own first failed step.
     * Capacities found in two servers differ by more than the chatter's share (each JVM compiles
     * and lays out its heap its own way), so the two sides share one. Warmed up with the chatter,
     * as the pairs are.
     */
    private void chatterCapacity(LoadGenerator generator) throws Exception {
        Map<Boolean, Integer> capacity = new HashMap<>(Map.of(false, 0, true, 0));
        Set<Boolean> failed = new HashSet<>();
        int rung = 0;
        for (int rate : settings.capacityRates) {
            for (boolean on : rung++ % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
                if (failed.contains(on)) {
                    continue;
                }
                generator.chatter(on);
                String label = (on ? "with " : "without ") + rate;
                if (passes(capacityStep(generator, rate, label))) {
                    capacity.put(on, rate);
                } else {
                    failed.add(on);
                }
            }
            if (failed.size() == 2) {
                break;
            }
        }
        generator.chatter(settings.chatter);
        System.out.printf(
                Locale.ROOT,
                "chatter capacity: %s deliveries/s without, %s with%s%n",
                capacityFigure(capacity.get(false)),
                capacityFigure(capacity.get(true)),
                capacity.get(false) == 0 || capacity.get(true) == 0
                        ? ""
                        : format(
                                " (%+.1f%%)",
                                100.0
                                        * (capacity.get(true) - capacity.get(false))
                                        / capacity.get(false)));
    }

    private String capacityFigure(int capacity) {
        return capacity > 0 ? String.valueOf(capacity) : "below " + settings.capacityRates.get(0);
    }

    /**
     * Steps at the fixed rate without and with the chatter, in pairs (each in the other order than
     * the last, so that a drift favours neither), in one server so that JIT and heap are alike: the
     * server CPU the chatter adds per delivery is the share of capacity it takes under the quota.
     * The quota's CPU figures wander by more than the chatter costs, so each pair is compared
     * within itself and the pairs' ratios summed up by their median and middle half. Warmed up with
     * the chatter, so that its code is compiled before it is measured.
     */
    private void chatterCost(LoadGenerator generator) throws Exception {
        List<Double> ratios = new ArrayList<>();
        for (int pair = 0; pair < settings.chatterPairs; pair++) {
            double without = 0;
            double with = 0;
            for (boolean on : pair % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
                generator.chatter(on);
                LoadGenerator.Step step =
                        step(generator, settings.efficiencyRate, settings.stepSeconds, true);
                print(on ? "chatter on" : "chatter off", step);
                double cpuPerDelivery = step.serverCpuPercent() / step.deliveredPerSecond();
                if (on) {
                    with = cpuPerDelivery;
                } else {
                    without = cpuPerDelivery;
                }
            }
            ratios.add(with / without);
        }
        generator.chatter(settings.chatter);
        List<Double> sorted = ratios.stream().sorted().toList();
        System.out.printf(
                Locale.ROOT,
                "chatter cost: server CPU per delivery with / without, %d pairs at %d deliveries/s: "
                        + "median %+.1f%%, middle half %+.1f%% to %+.1f%%%n",
                sorted.size(),
                settings.efficiencyRate,
                100 * (quantile(sorted, 0.5) - 1),
                100 * (quantile(sorted, 0.25) - 1),
                100 * (quantile(sorted, 0.75) - 1));
    }

    /** The value at a fraction of sorted values, between the two nearest. */
    private static double quantile(List<Double> sorted, double fraction) {
        double at = fraction * (sorted.size() - 1);
        int below = (int) Math.floor(at);
        int above = (int) Math.ceil(at);
        return sorted.get(below) + (at - below) * (sorted.get(above) - sorted.get(below));
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

    /**
     * Messages stored per second with many small rooms, each with its own sender (the rest of its
     * members listen), and the latency of each sender's acknowledgement (its own copy): a warm-up,
     * then rising rates until one fails (acknowledgement p99 over {@code --store-p99}, any loss,
     * duplicate or refusal, or under 95% of the offered rate). Sends carry an id, as the chat
     * page's do. For the PostgreSQL store, the messages it holds at the end are counted.
     */
    private StoreRun store(Server.Kind kind) throws Exception {
        System.out.printf(
                "%n== %s: %d rooms of %d members, one sender each ==%n",
                kind.label, settings.storeRooms, settings.storeMembers);
        List<String> rooms = new ArrayList<>();
        for (int room = 0; room < settings.storeRooms; room++) {
            rooms.add("bench-" + room);
        }
        // Every connection in its own room alone: none in the default room.
        try (Server server = start(kind, storeQuota, List.of("chat.default-room="));
                LoadGenerator generator = new LoadGenerator(server, false, true, false, 0)) {
            generator.connect(settings.storeRooms * settings.storeMembers, this::token);
            reportRefusedJoins(generator.joinRooms(rooms));
            int warmupRate = settings.storeRates.get(0);
            System.out.printf(
                    "warm-up: %.0f s at %d messages/s%n", settings.warmupSeconds, warmupRate);
            storeStep(generator, warmupRate, settings.warmupSeconds, false);
            List<StoreStep> steps = new ArrayList<>();
            for (int rate : settings.storeRates) {
                StoreStep step = timedStoreStep(server, generator, rate);
                steps.add(step);
                if (!step.passed() && keepsUp(step.step())) {
                    // As in the broadcast steps: one late burst can fail a step on latency alone.
                    step = timedStoreStep(server, generator, rate);
                    steps.add(step);
                }
                if (!step.passed()) {
                    break;
                }
            }
            long sent = generator.sent();
            Optional<Long> stored = Optional.empty();
            if (kind == Server.Kind.QUARKCHAT_POSTGRES) {
                stored =
                        Optional.of(
                                database.orElseThrow()
                                        .count(
                                                STORE_DATABASE,
                                                "SELECT count(*) FROM chat_message"));
                System.out.printf("stored %d messages of %d sent%n", stored.get(), sent);
            }
            return new StoreRun(kind, steps, sent, stored);
        }
    }

    /** Pages of a long room, through a service with the PostgreSQL store and of its statement. */
    private PageTiming.Result paging() throws Exception {
        Database postgres = database.orElseThrow();
        return PageTiming.run(
                postgres,
                settings,
                url ->
                        Server.start(
                                Server.Kind.QUARKCHAT_POSTGRES,
                                settings,
                                storeQuota,
                                publicKey,
                                Optional.of(new Server.Store(postgres, url)),
                                List.of("chat.default-room=")),
                token(0));
    }

    private static void reportRefusedJoins(int refused) {
        if (refused > 0) {
            System.out.printf("joins refused (and sent again): %d%n", refused);
        }
    }

    private StoreStep timedStoreStep(Server server, LoadGenerator generator, int rate)
            throws Exception {
        boolean postgres = server.kind == Server.Kind.QUARKCHAT_POSTGRES;
        Database.FunctionStats before = postgres ? commitStats() : null;
        LoadGenerator.Step step = storeStep(generator, rate, settings.stepSeconds, true);
        Optional<Database.FunctionStats> commits =
                postgres ? Optional.of(commitStats().minus(before)) : Optional.empty();
        boolean passed = keepsUp(step) && step.ackP99Millis() < settings.storeP99Millis;
        System.out.printf(
                Locale.ROOT,
                "%-16s stored %7.0f/s  ack p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms"
                        + "  lost %d  dup %d  refused %d  server CPU %5.1f%%  PostgreSQL CPU %5.1f%%"
                        + "%s%s%n",
                "offered " + rate,
                step.acknowledgedPerSecond(),
                step.ackP50Millis(),
                step.ackP99Millis(),
                step.ackMaxMillis(),
                step.lost(),
                step.duplicated(),
                step.refused(),
                step.serverCpuPercent(),
                step.databaseCpuPercent(),
                commits.map(made -> describeCommits(made, step.acknowledged())).orElse(""),
                passed ? "" : "  FAILED");
        return new StoreStep(rate, step, commits, passed);
    }

    private LoadGenerator.Step storeStep(
            LoadGenerator generator, int messagesPerSecond, double seconds, boolean record)
            throws Exception {
        return generator.run(
                settings.storeRooms,
                messagesPerSecond / (double) settings.storeRooms,
                seconds,
                settings.messageBytes,
                record);
    }

    private Database.FunctionStats commitStats() throws Exception {
        return database.orElseThrow().functionStats(STORE_DATABASE, APPEND_FUNCTION);
    }

    /** Commits in a step: how many messages each held, and how long the database took for it. */
    private static String describeCommits(Database.FunctionStats commits, long messages) {
        return commits.calls() == 0
                ? "  no commit reported"
                : format(
                        "  %d commits of %.1f messages, %.2f ms in chat_append each",
                        commits.calls(),
                        messages / (double) commits.calls(),
                        commits.totalMillis() / commits.calls());
    }

    private LoadGenerator generator(Server server) {
        return new LoadGenerator(
                server,
                settings.offerCompression,
                false,
                settings.chatter,
                settings.readEverySeconds > 0
                        ? (long) (settings.readEverySeconds * 1e9)
                        : LoadGenerator.pageReadEveryNanos(settings.clients));
    }

    private Server start(Server.Kind kind) throws Exception {
        return start(kind, quota, List.of());
    }

    private Server start(
            Server.Kind kind, Optional<CpuQuota> quota, List<String> scenarioProperties)
            throws Exception {
        Optional<Server.Store> store = Optional.empty();
        if (kind == Server.Kind.QUARKCHAT_POSTGRES) {
            Database postgres = database.orElseThrow();
            store = Optional.of(new Server.Store(postgres, postgres.fresh(STORE_DATABASE)));
        }
        return Server.start(kind, settings, quota, publicKey, store, scenarioProperties);
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
                && step.refused() == 0
                && step.deliveredPerSecond() >= PASSING_SHARE_OF_OFFERED * step.offeredPerSecond();
    }

    private static void print(String label, LoadGenerator.Step step) {
        System.out.printf(
                Locale.ROOT,
                "%-16s delivered %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms  lost %d  dup %d"
                        + "%s  server CPU %5.1f%%%s  generator CPU %5.1f%%  RSS %.0f MiB%n",
                label,
                step.deliveredPerSecond(),
                step.p50Millis(),
                step.p99Millis(),
                step.p999Millis(),
                step.maxMillis(),
                step.lost(),
                step.duplicated(),
                step.refused() > 0 ? "  refused " + step.refused() : "",
                step.serverCpuPercent(),
                step.databaseCpuPercent() > 0
                        ? format("  PostgreSQL CPU %5.1f%%", step.databaseCpuPercent())
                        : "",
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

    /**
     * The store runs: each server's stored rate, then each offered rate with the acknowledgement
     * latency of every server, and what the PostgreSQL store adds to the memory store's.
     */
    private void printStoreTables(List<StoreRun> runs) {
        System.out.printf(
                "%n%d rooms of %d members, one sender each, %d-byte messages with an id; "
                        + "server on core 0 %s, PostgreSQL on core %s, generator on core 1%n%n",
                settings.storeRooms,
                settings.storeMembers,
                settings.messageBytes,
                storeQuota.isPresent()
                        ? "with a CPU quota of " + settings.storeQuotaPercent + "% of one core"
                        : "without a quota",
                settings.postgresCores);
        System.out.printf(
                "| Store | Messages stored/s (ack p99 < %.0f ms) | Ack p50 / p99 there "
                        + "| Server CPU there | PostgreSQL CPU there | Messages per commit there "
                        + "| Lost / duplicated / refused | Stored / sent |%n",
                settings.storeP99Millis);
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (StoreRun run : runs) {
            Optional<StoreStep> capacity = run.capacity();
            long lost = 0;
            long duplicated = 0;
            long refused = 0;
            for (StoreStep step : run.steps()) {
                if (step.passed()) {
                    lost += step.step().lost();
                    duplicated += step.step().duplicated();
                    refused += step.step().refused();
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %d / %d / %d | %s |%n",
                    run.kind().label,
                    capacity.map(step -> format("%.0f", step.step().acknowledgedPerSecond()))
                            .orElse("below the first step"),
                    capacity.map(
                                    step ->
                                            format(
                                                    "%.2f / %.2f ms",
                                                    step.step().ackP50Millis(),
                                                    step.step().ackP99Millis()))
                            .orElse("-"),
                    capacity.map(step -> format("%.1f%%", step.step().serverCpuPercent()))
                            .orElse("-"),
                    capacity.filter(step -> step.commits().isPresent())
                            .map(step -> format("%.1f%%", step.step().databaseCpuPercent()))
                            .orElse("-"),
                    capacity.flatMap(StoreStep::commits)
                            .filter(commits -> commits.calls() > 0)
                            .map(
                                    commits ->
                                            format(
                                                    "%.1f",
                                                    capacity.get().step().acknowledged()
                                                            / (double) commits.calls()))
                            .orElse("-"),
                    lost,
                    duplicated,
                    refused,
                    run.stored().map(stored -> stored + " / " + run.sent()).orElse("-"));
        }
        Optional<StoreRun> memory = find(runs, Server.Kind.QUARKCHAT);
        Optional<StoreRun> postgres = find(runs, Server.Kind.QUARKCHAT_POSTGRES);
        StringBuilder header = new StringBuilder("| Offered messages/s |");
        StringBuilder rule = new StringBuilder("|---|");
        for (StoreRun run : runs) {
            header.append(' ').append(run.kind().label).append(": ack p50 / p99 |");
            rule.append("---|");
        }
        boolean added = memory.isPresent() && postgres.isPresent();
        if (added) {
            header.append(" Added by PostgreSQL: p50 / p99 |");
            rule.append("---|");
        }
        System.out.printf("%n%s%n%s%n", header, rule);
        for (int rate : settings.storeRates) {
            if (runs.stream().allMatch(run -> run.at(rate).isEmpty())) {
                break;
            }
            StringBuilder line = new StringBuilder(format("| %,d |", rate));
            for (StoreRun run : runs) {
                line.append(
                        run.at(rate)
                                .map(
                                        step ->
                                                format(
                                                        " %.2f / %.2f ms%s |",
                                                        step.step().ackP50Millis(),
                                                        step.step().ackP99Millis(),
                                                        step.passed() ? "" : " (failed)"))
                                .orElse(" - |"));
            }
            if (added) {
                Optional<StoreStep> without = memory.get().at(rate);
                Optional<StoreStep> with = postgres.get().at(rate);
                line.append(
                        without.isPresent() && with.isPresent()
                                ? format(
                                        " %+.2f / %+.2f ms |",
                                        with.get().step().ackP50Millis()
                                                - without.get().step().ackP50Millis(),
                                        with.get().step().ackP99Millis()
                                                - without.get().step().ackP99Millis())
                                : " - |");
            }
            System.out.println(line);
        }
    }

    private static Optional<StoreRun> find(List<StoreRun> runs, Server.Kind kind) {
        return runs.stream().filter(run -> run.kind() == kind).findFirst();
    }

    private static void printPaging(PageTiming.Result paging) {
        System.out.printf(
                "%nPaging, PostgreSQL store: %d-message pages of a room of %,d messages, one at a"
                        + " time%n| Pages | Through the service (history frames) | The store's"
                        + " statement alone |%n|---|---|---|%n| from anywhere | %s | %s |%n"
                        + "| the latest | %s | %s |%n",
                paging.limit(),
                paging.messages(),
                paging.framesAnywhere(),
                paging.statementAnywhere(),
                paging.framesLatest(),
                paging.statementLatest());
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
