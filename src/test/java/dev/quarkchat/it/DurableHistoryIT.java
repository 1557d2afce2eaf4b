package dev.quarkchat.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.EmbeddedRedis;
import dev.quarkchat.testing.Frames;
import dev.quarkchat.testing.OperatorKeys;
import dev.quarkchat.testing.PackagedApp;
import dev.quarkchat.testing.PostgresServer;
import dev.quarkchat.testing.ReliableSender;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The packaged service (jar, or native executable with {@code -Dnative}) with its history in a real
 * PostgreSQL: while several senders post as reliable clients do, instances are SIGKILLed and
 * started again, Redis restarts empty, PostgreSQL restarts, and finally every instance and Redis
 * restart together. Every acknowledged message is then stored once, in one gap-free order, every
 * sender saw that order, the room kept its epoch, and a client that comes back with {@code since}
 * recovers all of it. The same on one instance without Redis, where a user's read position and
 * unread count outlive a crash too.
 */
class DurableHistoryIT {

    private static final String ROOM = "durable";

    /** Messages each sender has acknowledged before and after each failure: a few seconds. */
    private static final int PER_PHASE = 60;

    /** Long enough for every instance to start again after the last failure. */
    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(90);

    private static Map<String, String> operatorSettings;
    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        operatorSettings = new OperatorKeys().start();
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.stop();
    }

    @Test
    void instancesRedisAndPostgresFailAndNoAcknowledgedMessageIsLostOrDoubled() throws Exception {
        String database = postgres.createDatabase();
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                Instances instances =
                        new Instances("durable-redis", sharedSettings(database, redis), 3)) {
            String epoch = makeRoom(instances.current().get(0));
            List<ReliableSender> senders =
                    List.of(
                            ReliableSender.resending("dh-ann", ROOM, epoch, instances::current),
                            ReliableSender.resending("dh-bob", ROOM, epoch, instances::current),
                            ReliableSender.resending("dh-cid", ROOM, epoch, instances::current),
                            ReliableSender.forgetful("dh-dot", ROOM, epoch, instances::current));
            try (Traffic traffic = new Traffic(senders)) {
                traffic.awaitProgress();

                instances.kill(1);
                traffic.awaitProgress();
                instances.start(1);
                traffic.awaitProgress();

                redis.stop();
                instances.awaitReadiness(503);
                redis.restart();
                traffic.awaitProgress();

                postgres.stop();
                instances.awaitReadiness(503);
                postgres.restart();
                traffic.awaitProgress();

                instances.killAll();
                redis.stop();
                redis.restart();
                instances.startAll();
                traffic.awaitProgress();

                traffic.finish();
            }
            List<String> stored = checkStored(database, epoch, senders);
            checkRecovery(instances.current().get(2), epoch, 0, stored);
            checkRecovery(instances.current().get(0), epoch, stored.size() / 2, stored);
        }
    }

    @Test
    void oneInstanceWithoutRedisKeepsWhatItAcknowledgedThroughACrash() throws Exception {
        String database = postgres.createDatabase();
        Map<String, String> settings = durableSettings(database);
        settings.put("chat.backplane", "none");
        try (Instances instances = new Instances("durable-alone", settings, 1)) {
            String epoch = makeRoom(instances.current().get(0));
            List<ReliableSender> senders =
                    List.of(
                            ReliableSender.resending("da-eve", ROOM, epoch, instances::current),
                            ReliableSender.resending("da-fay", ROOM, epoch, instances::current),
                            ReliableSender.forgetful("da-gus", ROOM, epoch, instances::current));
            try (Traffic traffic = new Traffic(senders)) {
                traffic.awaitProgress();
                instances.kill(0);
                instances.start(0);
                traffic.awaitProgress();
                traffic.finish();
            }
            List<String> stored = checkStored(database, epoch, senders);
            checkRecovery(instances.current().get(0), epoch, 0, stored);
        }
    }

    @Test
    void aReadPositionAndItsUnreadCountOutliveACrash() throws Exception {
        String database = postgres.createDatabase();
        Map<String, String> settings = durableSettings(database);
        settings.put("chat.backplane", "none");
        String room = "dh-reading";
        long read;
        try (Instances instances = new Instances("durable-reading", settings, 1)) {
            URI instance = instances.current().get(0);
            try (ChatClient ann = ChatClient.connect(instance, OperatorKeys.token("dh-ann"));
                    ChatClient annsTablet =
                            ChatClient.connect(instance, OperatorKeys.token("dh-ann"));
                    ChatClient bob = ChatClient.connect(instance, OperatorKeys.token("dh-bob"))) {
                ann.join(room);
                annsTablet.join(room);
                bob.join(room);
                for (int n = 1; n <= 3; n++) {
                    bob.send(room, "news " + n, "dh-news-" + n);
                }
                read = ann.awaitMessage("dh-news-2").getLong("seq");
                ann.awaitMessage("dh-news-3");
                ann.sendJson(
                        new JsonObject().put("type", "read").put("room", room).put("seq", read));
                annsTablet.awaitFrame(Frames.read(room, read));
            }
            instances.kill(0);
            instances.start(0);
            try (ChatClient annsPhone =
                    ChatClient.connect(instances.current().get(0), OperatorKeys.token("dh-ann"))) {
                JsonObject joined = annsPhone.joined(room);
                assertThat(joined.getLong("readSeq")).isEqualTo(read);
                assertThat(joined.getLong("unread")).isEqualTo(1);
            }
        }
        try (Connection connection = postgres.connect(database);
                PreparedStatement position =
                        connection.prepareStatement(
                                "SELECT seq FROM chat_read_position WHERE room = ? AND user_name = ?")) {
            position.setString(1, room);
            position.setString(2, "dh-ann");
            try (ResultSet row = position.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getLong("seq")).isEqualTo(read);
            }
        }
    }

    /**
     * Checks the database itself: the room's messages are seq 1 to N, no id twice, every
     * acknowledged message at the seq its sender was told, nothing that was never sent; every
     * sender saw a beginning of that order; the room kept the epoch it started with.
     *
     * @return the ids of the stored messages, by seq
     */
    private static List<String> checkStored(
            String database, String epoch, List<ReliableSender> senders) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, Long> seqOfId = new HashMap<>();
        try (Connection connection = postgres.connect(database)) {
            try (PreparedStatement messages =
                    connection.prepareStatement(
                            "SELECT seq, sender, client_id FROM chat_message WHERE room = ?"
                                    + " ORDER BY seq")) {
                messages.setString(1, ROOM);
                try (ResultSet rows = messages.executeQuery()) {
                    while (rows.next()) {
                        String id = rows.getString("client_id");
                        assertThat(id).as("a message's id").startsWith(rows.getString("sender"));
                        seqs.add(rows.getLong("seq"));
                        ids.add(id);
                        seqOfId.put(id, rows.getLong("seq"));
                    }
                }
            }
            try (PreparedStatement room =
                    connection.prepareStatement(
                            "SELECT epoch, last_seq, first_seq FROM chat_room WHERE room = ?")) {
                room.setString(1, ROOM);
                try (ResultSet row = room.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString("epoch")).isEqualTo(epoch);
                    assertThat(row.getLong("last_seq")).isEqualTo(seqs.size());
                    assertThat(row.getLong("first_seq")).isEqualTo(1L);
                }
            }
        }
        assertThat(seqs).containsExactlyElementsOf(range(1, seqs.size()));
        assertThat(ids).doesNotHaveDuplicates();

        Set<String> sent = new HashSet<>();
        for (ReliableSender sender : senders) {
            assertThat(sender.acknowledged()).as(sender.user() + " acknowledged").isNotEmpty();
            assertThat(seqOfId)
                    .as("the messages of " + sender.user() + " acknowledged at their seq")
                    .containsAllEntriesOf(sender.acknowledged());
            List<String> view = sender.view();
            assertThat(view).hasSizeLessThanOrEqualTo(ids.size());
            assertThat(view)
                    .as("the order " + sender.user() + " saw")
                    .containsExactlyElementsOf(ids.subList(0, view.size()));
            assertThat(sender.epochs()).containsOnly(epoch);
            sent.addAll(sender.sent());
        }
        assertThat(sent).as("sent").containsAll(ids);
        assertThat(senders.stream().mapToInt(ReliableSender::sentAgain).sum())
                .as("sends that went out again")
                .isPositive();
        return ids;
    }

    /** A client back with {@code since} gets every stored message after it, in order. */
    private static void checkRecovery(URI instance, String epoch, long since, List<String> stored) {
        try (ChatClient back = ChatClient.connect(instance, OperatorKeys.token("dh-back"))) {
            back.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", ROOM)
                            .put("since", since)
                            .put("epoch", epoch)
                            .put("id", "back"));
            JsonObject joined = back.awaitFrame(frame -> "back".equals(frame.getString("id")));
            assertThat(joined.getString("epoch")).isEqualTo(epoch);
            assertThat(joined.getBoolean("recovered")).isTrue();
            assertThat(joined.getLong("seq")).isEqualTo(stored.size());
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> back.messagesIn(ROOM).size() == stored.size() - since);
            assertThat(back.seqsIn(ROOM))
                    .containsExactlyElementsOf(range(since + 1, stored.size()));
            assertThat(back.messagesIn(ROOM))
                    .extracting(frame -> frame.getString("id"))
                    .containsExactlyElementsOf(stored.subList((int) since, stored.size()));
        }
    }

    /** Makes the room, as its first member does, and returns its epoch. */
    private static String makeRoom(URI instance) {
        try (ChatClient first = ChatClient.connect(instance, OperatorKeys.token("dh-first"))) {
            first.sendJson(
                    new JsonObject().put("type", "join").put("room", ROOM).put("id", "make"));
            JsonObject joined = first.awaitFrame(frame -> "make".equals(frame.getString("id")));
            assertThat(joined.getLong("seq")).isZero();
            return joined.getString("epoch");
        }
    }

    private static Map<String, String> durableSettings(String database) {
        Map<String, String> settings = new HashMap<>(operatorSettings);
        settings.put("chat.history.store", "postgres");
        settings.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(database));
        settings.put("quarkus.datasource.username", postgres.user());
        settings.put("chat.history.postgres.check-interval", "200ms");
        // Every rejoin recovers everything the room holds.
        settings.put("chat.history.postgres.max-recovery", "1000000");
        // The senders send as fast as they are answered, far over a person's rate.
        settings.put("chat.rate-limit.messages-per-second", "100000");
        settings.put("chat.rate-limit.burst", "100000");
        return settings;
    }

    private static Map<String, String> sharedSettings(String database, EmbeddedRedis redis) {
        Map<String, String> settings = durableSettings(database);
        settings.put("chat.backplane", "redis");
        settings.put("quarkus.redis.hosts", redis.uri());
        settings.put("chat.backplane.redis.check-interval", "200ms");
        return settings;
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().collect(Collectors.toList());
    }

    /** Instances of the packaged service with the same settings, each killed and started anew. */
    private static final class Instances implements AutoCloseable {

        private final String name;
        private final Map<String, String> settings;
        private final PackagedApp[] running;
        private final int[] starts;

        /** Starts them all and waits until they are ready. */
        Instances(String name, Map<String, String> settings, int count) {
            this.name = name;
            this.settings = settings;
            this.running = new PackagedApp[count];
            this.starts = new int[count];
            startAll();
        }

        /** Where each instance listens; a killed one stays listed until it is started again. */
        synchronized List<URI> current() {
            List<URI> addresses = new ArrayList<>(running.length);
            for (PackagedApp instance : running) {
                addresses.add(instance.baseUri());
            }
            return addresses;
        }

        /** SIGKILL, as a crash or an OOM kill does. */
        void kill(int index) throws InterruptedException {
            running[index].kill();
        }

        void killAll() throws InterruptedException {
            for (int i = 0; i < running.length; i++) {
                kill(i);
            }
        }

        /** Starts the instance again (on another port) and waits until it is ready. */
        void start(int index) {
            launch(index);
            awaitReady(index);
        }

        /** Starts every instance at once, then waits for each. */
        void startAll() {
            for (int i = 0; i < running.length; i++) {
                launch(i);
            }
            for (int i = 0; i < running.length; i++) {
                awaitReady(i);
            }
        }

        /** Waits until every instance answers {@code /q/health/ready} with this status. */
        void awaitReadiness(int status) {
            for (PackagedApp instance : running) {
                instance.awaitReadiness(status);
            }
        }

        private synchronized void launch(int index) {
            running[index] =
                    PackagedApp.start(name + "-" + index + "-" + ++starts[index], settings);
        }

        private void awaitReady(int index) {
            running[index].awaitListening().awaitReadiness(200);
        }

        @Override
        public void close() {
            for (PackagedApp instance : running) {
                if (instance != null) {
                    instance.close();
                }
            }
        }
    }

    /** The senders, each on a thread of its own, for as long as the test makes things fail. */
    private static final class Traffic implements AutoCloseable {

        private final List<ReliableSender> senders;
        private final ExecutorService threads;
        private final List<CompletableFuture<Void>> running = new ArrayList<>();

        Traffic(List<ReliableSender> senders) {
            this.senders = senders;
            this.threads = Executors.newFixedThreadPool(senders.size());
            senders.forEach(sender -> running.add(CompletableFuture.runAsync(sender, threads)));
        }

        /**
         * Waits until every sender has {@link #PER_PHASE} more messages acknowledged; fails at once
         * if a sender did.
         */
        void awaitProgress() {
            Map<ReliableSender, Integer> before = new HashMap<>();
            senders.forEach(sender -> before.put(sender, sender.acknowledged().size()));
            await().atMost(PROGRESS_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () -> {
                                running.stream()
                                        .filter(CompletableFuture::isCompletedExceptionally)
                                        .findFirst()
                                        .ifPresent(CompletableFuture::join);
                                return senders.stream()
                                        .allMatch(
                                                sender ->
                                                        sender.acknowledged().size()
                                                                >= before.get(sender) + PER_PHASE);
                            });
        }

        /** Stops sending, and waits until everything sent is answered or given up. */
        void finish() {
            senders.forEach(ReliableSender::stop);
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                    .orTimeout(PROGRESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .join();
        }

        @Override
        public void close() {
            senders.forEach(ReliableSender::stop);
            threads.shutdownNow();
        }
    }
}
