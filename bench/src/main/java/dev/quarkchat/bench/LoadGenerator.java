package dev.quarkchat.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Opens connections to one server and drives them, all on one Vert.x event loop (the generator gets
 * one core). Every delivery is checked: each connection expects each sender of its room's messages
 * in order, exactly once, so a gap is a loss and a repeat a duplicate; the send time travels in the
 * text and gives the latency, measured within this process, of every delivery and of the sender's
 * own copy (its acknowledgement).
 */
final class LoadGenerator implements AutoCloseable {

    /** Highest latency recorded, in microseconds (a minute). */
    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(1);

    private static final int LATENCY_DIGITS = 3;
    private static final long TICK_MILLIS = 2;
    private static final int CONNECT_CONCURRENCY = 64;
    private static final long JOIN_MILLIS = TimeUnit.MINUTES.toMillis(3);

    /** The pause before refused joins go again, doubled after each refusal up to the longest. */
    private static final long JOIN_RETRY_MILLIS = 500;

    private static final long LONGEST_JOIN_RETRY_MILLIS = 8_000;

    /** How long a step's last messages may take to arrive before what is missing counts as lost. */
    private static final long DRAIN_MILLIS = 30_000;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final String MESSAGE_PREFIX = "{\"type\":\"message\"";
    private static final String JOINED_PREFIX = "{\"type\":\"joined\"";
    private static final String ERROR_PREFIX = "{\"type\":\"error\"";
    private static final String TEXT_FIELD = "\"text\":\"";
    private static final String SEQ_FIELD = "\"seq\":";

    private final Vertx vertx;
    private final Context loop;
    private final WebSocketClient client;
    private final Server server;
    private final boolean idempotentSends;
    private volatile boolean chatter;

    /** The least time between two {@code read} frames of a connection. */
    private final long readEveryNanos;

    private final List<Peer> peers = new ArrayList<>();
    private final Histogram latency = new Histogram(MAX_LATENCY_MICROS, LATENCY_DIGITS);
    private final Histogram acknowledgements = new Histogram(MAX_LATENCY_MICROS, LATENCY_DIGITS);

    /**
     * The rooms, connection i in room i modulo their number (so sender s too); the default room
     * alone unless {@link #joinRooms} gave others.
     */
    private List<String> rooms = List.of("lobby");

    /** Per sender: the seq of its last message. */
    private long[] sent = new long[0];

    private boolean recording;
    private long recordFromNanos;
    private long deliveries;
    private long refused;

    /** One connection and what it has received of each sender. */
    private static final class Peer {
        private final WebSocket socket;
        private final int index;

        /** Whether the server answered its join ({@code joined}), or refused it. */
        private boolean joined;

        private boolean joinRefused;

        private long[] lastSeq = new long[0];
        private long lost;
        private long duplicated;

        /**
         * The room's latest seq it was given, the last it said it read, when, and whether its next
         * {@code read} waits for its time.
         */
        private long roomSeq;

        private long readSeq;
        private long readAtNanos;
        private boolean readWaiting;

        private Peer(WebSocket socket, int index) {
            this.socket = socket;
            this.index = index;
        }
    }

    /**
     * What one measured step saw: the offered and delivered rates count deliveries; the
     * acknowledgement latency is from a send to its sender's own copy.
     */
    record Step(
            double offeredPerSecond,
            double deliveredPerSecond,
            long deliveries,
            long lost,
            long duplicated,
            long refused,
            long acknowledged,
            double acknowledgedPerSecond,
            double p50Millis,
            double p99Millis,
            double p999Millis,
            double maxMillis,
            double ackP50Millis,
            double ackP99Millis,
            double ackMaxMillis,
            double serverCpuPercent,
            double databaseCpuPercent,
            double generatorCpuPercent,
            long serverRssBytes) {}

    /**
     * @param offerCompression whether connections offer permessage-deflate, as browsers do
     * @param idempotentSends whether each {@code send} carries an {@code id}, as the chat page's do
     * @param chatter whether connections also send {@code typing} before each message and {@code
     *     read} at most once per {@code readEveryNanos}, as the chat page does
     */
    LoadGenerator(
            Server server,
            boolean offerCompression,
            boolean idempotentSends,
            boolean chatter,
            long readEveryNanos) {
        this.server = server;
        this.idempotentSends = idempotentSends;
        this.readEveryNanos = readEveryNanos;
        chatter(chatter);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.loop = vertx.getOrCreateContext();
        this.client =
                vertx.createWebSocketClient(
                        new WebSocketClientOptions()
                                .setMaxConnections(Integer.MAX_VALUE)
                                .setTcpNoDelay(true)
                                .setConnectTimeout((int) TimeUnit.SECONDS.toMillis(30))
                                .setTryUsePerMessageCompression(offerCompression));
    }

    /** Turns the {@code typing} and {@code read} frames on or off, from the next message on. */
    void chatter(boolean on) {
        chatter = on && server.kind.chatProtocol;
    }

    /**
     * Opens {@code count} more connections, {@link #CONNECT_CONCURRENCY} at a time.
     *
     * @param tokenOf the token of the generator's connection i, counted over all it has opened
     *     (ignored by servers that do not check tokens)
     * @return how long it took, in seconds
     */
    double connect(int count, IntFunction<String> tokenOf) throws Exception {
        long started = System.nanoTime();
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.runOnContext(
                ignored -> {
                    int first = peers.size();
                    int[] next = {first};
                    int[] open = {0};
                    Runnable[] more = new Runnable[1];
                    more[0] =
                            () -> {
                                while (open[0] < CONNECT_CONCURRENCY && next[0] < first + count) {
                                    int index = next[0]++;
                                    open[0]++;
                                    Future<WebSocket> opening;
                                    try {
                                        opening = openOne(tokenOf.apply(index));
                                    } catch (RuntimeException failure) {
                                        done.completeExceptionally(failure);
                                        return;
                                    }
                                    opening.onComplete(
                                            result -> {
                                                open[0]--;
                                                if (result.failed()) {
                                                    done.completeExceptionally(result.cause());
                                                    return;
                                                }
                                                peers.add(new Peer(result.result(), peers.size()));
                                                watch(peers.get(peers.size() - 1));
                                                if (peers.size() == first + count) {
                                                    done.complete(null);
                                                } else {
                                                    more[0].run();
                                                }
                                            });
                                }
                            };
                    more[0].run();
                });
        done.get(10, TimeUnit.MINUTES);
        return (System.nanoTime() - started) / (double) NANOS_PER_SECOND;
    }

    int connections() {
        return peers.size();
    }

    /**
     * Has connection i join room i modulo {@code names.size()}, and waits until each is in. The
     * server's default room should be off, so that each connection is in its room alone.
     *
     * @return the joins refused, and sent again
     */
    int joinRooms(List<String> names) throws Exception {
        onLoop(
                () -> {
                    rooms = List.copyOf(names);
                    for (Peer peer : peers) {
                        join(peer);
                    }
                    return null;
                });
        return awaitJoined();
    }

    /**
     * Waits until every connection is in its room (the server's default room, unless {@link
     * #joinRooms} gave others), sending refused joins again as clients would, after a pause that
     * doubles while they are refused: resending at once keeps a server that refuses for want of CPU
     * busy refusing.
     *
     * @return the joins refused, and sent again
     */
    int awaitJoined() throws Exception {
        long deadline = System.currentTimeMillis() + JOIN_MILLIS;
        long pause = JOIN_RETRY_MILLIS;
        int retried = 0;
        while (System.currentTimeMillis() < deadline) {
            int[] state =
                    onLoop(
                            () -> {
                                int waiting = 0;
                                int again = 0;
                                for (Peer peer : peers) {
                                    if (peer.joinRefused) {
                                        join(peer);
                                        again++;
                                    }
                                    waiting += peer.joined ? 0 : 1;
                                }
                                return new int[] {waiting, again};
                            });
            retried += state[1];
            if (state[0] == 0) {
                return retried;
            }
            if (state[1] > 0) {
                pause = Math.min(LONGEST_JOIN_RETRY_MILLIS, pause * 2);
            }
            Thread.sleep(pause);
        }
        throw new IllegalStateException("Connections still outside their rooms: refused joins");
    }

    private void join(Peer peer) {
        peer.joinRefused = false;
        peer.socket.writeTextMessage("{\"type\":\"join\",\"room\":\"" + roomOf(peer.index) + "\"}");
    }

    /**
     * The first {@code senders} connections send at {@code perSender} messages per second each for
     * {@code seconds}; recorded only if {@code record}. Afterwards every connection must have every
     * message.
     */
    Step run(int senders, double perSender, double seconds, int messageBytes, boolean record)
            throws Exception {
        ProcessStats.CpuUse cpu = ProcessStats.CpuUse.from(server.pid());
        double databaseCpuAtStart = server.databaseCpuSeconds();
        long[] lossBefore = onLoop(this::lossTotals);
        onLoop(
                () -> {
                    if (sent.length < senders) {
                        sent = java.util.Arrays.copyOf(sent, senders);
                    }
                    latency.reset();
                    acknowledgements.reset();
                    deliveries = 0;
                    refused = 0;
                    recording = record;
                    recordFromNanos = System.nanoTime();
                    return null;
                });
        long start = System.nanoTime();
        long[] sentAtStart = onLoop(() -> sent.clone());
        // Sender s sends its k-th message at (k + s / senders) / perSender seconds: evenly spread,
        // not in bursts.
        long timer =
                vertx.setPeriodic(
                        TICK_MILLIS,
                        id -> {
                            double elapsed =
                                    (System.nanoTime() - start) / (double) NANOS_PER_SECOND;
                            for (int sender = 0; sender < senders; sender++) {
                                long dueByNow =
                                        (long)
                                                        Math.floor(
                                                                elapsed * perSender
                                                                        - sender / (double) senders)
                                                + 1;
                                long due =
                                        Math.max(0, dueByNow)
                                                - (sent[sender] - sentAtStart[sender]);
                                for (long n = 0; n < due; n++) {
                                    send(sender, messageBytes);
                                }
                            }
                        });
        Thread.sleep((long) (seconds * 1000));
        vertx.cancelTimer(timer);
        double measuredSeconds = (System.nanoTime() - start) / (double) NANOS_PER_SECOND;
        double serverCpuPercent = cpu.serverPercent(measuredSeconds);
        double generatorCpuPercent = cpu.generatorPercent(measuredSeconds);
        double databaseCpuPercent =
                100 * (server.databaseCpuSeconds() - databaseCpuAtStart) / measuredSeconds;
        awaitDrained();
        long[] lossAfter = onLoop(this::lossTotals);
        return onLoop(
                () ->
                        new Step(
                                perSender * hearers(senders),
                                deliveries / measuredSeconds,
                                deliveries,
                                lossAfter[0] - lossBefore[0],
                                lossAfter[1] - lossBefore[1],
                                refused,
                                acknowledgements.getTotalCount(),
                                acknowledgements.getTotalCount() / measuredSeconds,
                                millis(latency.getValueAtPercentile(50)),
                                millis(latency.getValueAtPercentile(99)),
                                millis(latency.getValueAtPercentile(99.9)),
                                millis(latency.getMaxValue()),
                                millis(acknowledgements.getValueAtPercentile(50)),
                                millis(acknowledgements.getValueAtPercentile(99)),
                                millis(acknowledgements.getMaxValue()),
                                serverCpuPercent,
                                databaseCpuPercent,
                                generatorCpuPercent,
                                ProcessStats.residentBytes(server.pid())));
    }

    private Future<WebSocket> openOne(String token) {
        WebSocketConnectOptions options =
                new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(server.port)
                        .setURI(server.kind.path);
        if (server.kind.chatProtocol) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        return client.connect(options);
    }

    private void watch(Peer peer) {
        peer.socket.textMessageHandler(text -> received(peer, text));
        peer.socket.exceptionHandler(failure -> {});
    }

    private void send(int sender, int messageBytes) {
        long seq = ++sent[sender];
        StringBuilder text = new StringBuilder(messageBytes + 40);
        if (server.kind.chatProtocol) {
            text.append("{\"type\":\"send\",\"room\":\"")
                    .append(roomOf(sender))
                    .append("\",\"text\":\"");
        }
        if (chatter) {
            peers.get(sender)
                    .socket
                    .writeTextMessage("{\"type\":\"typing\",\"room\":\"" + roomOf(sender) + "\"}");
        }
        int payloadStart = text.length();
        text.append(sender)
                .append(' ')
                .append(seq)
                .append(' ')
                .append(System.nanoTime())
                .append(' ');
        while (text.length() - payloadStart < messageBytes) {
            text.append('x');
        }
        if (server.kind.chatProtocol) {
            text.append('"');
            if (idempotentSends) {
                text.append(",\"id\":\"c-").append(seq).append('"');
            }
            text.append('}');
        }
        peers.get(sender).socket.writeTextMessage(text.toString());
    }

    private void received(Peer peer, String frame) {
        int at = 0;
        if (server.kind.chatProtocol) {
            if (!frame.startsWith(MESSAGE_PREFIX)) {
                answered(peer, frame); // or welcome, presence
                return;
            }
            at = frame.indexOf(TEXT_FIELD) + TEXT_FIELD.length();
            if (chatter) {
                sayRead(peer, frame);
            }
        }
        int space = frame.indexOf(' ', at);
        int sender = Integer.parseInt(frame, at, space, 10);
        int seqEnd = frame.indexOf(' ', space + 1);
        long seq = Long.parseLong(frame, space + 1, seqEnd, 10);
        long sentAt = Long.parseLong(frame, seqEnd + 1, frame.indexOf(' ', seqEnd + 1), 10);
        if (peer.lastSeq.length <= sender) {
            peer.lastSeq = java.util.Arrays.copyOf(peer.lastSeq, sender + 1);
        }
        long last = peer.lastSeq[sender];
        if (seq <= last) {
            peer.duplicated++;
            return;
        }
        peer.lost += seq - last - 1;
        peer.lastSeq[sender] = seq;
        if (recording && sentAt >= recordFromNanos) {
            deliveries++;
            long micros = Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - sentAt) / 1000);
            latency.recordValue(micros);
            if (sender == peer.index) {
                acknowledgements.recordValue(micros);
            }
        }
    }

    /**
     * The chat page's least time between two {@code read} frames for a room of {@code members}
     * (app.js, {@code readPaceMs}): a second, and a second per hundred members up to ten.
     */
    static long pageReadEveryNanos(int members) {
        double seconds = Math.min(10, Math.max(1, members / 100.0));
        return (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }

    /**
     * Says the connection read up to the room's latest message, as the page does: at most once per
     * {@code readEveryNanos}, at a random moment of that pace (every member gets a message at the
     * same moment, and the page keeps their reads from all falling due with it).
     */
    private void sayRead(Peer peer, String frame) {
        int seqAt = frame.indexOf(SEQ_FIELD) + SEQ_FIELD.length();
        peer.roomSeq =
                Math.max(peer.roomSeq, Long.parseLong(frame, seqAt, frame.indexOf(',', seqAt), 10));
        if (peer.roomSeq <= peer.readSeq || peer.readWaiting) {
            return;
        }
        long now = System.nanoTime();
        long due =
                Math.max(
                        now + ThreadLocalRandom.current().nextLong(readEveryNanos),
                        peer.readAtNanos + readEveryNanos);
        peer.readWaiting = true;
        vertx.setTimer(
                Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - now)),
                timer -> {
                    peer.readWaiting = false;
                    if (!chatter) {
                        return;
                    }
                    peer.readSeq = peer.roomSeq;
                    peer.readAtNanos = System.nanoTime();
                    peer.socket.writeTextMessage(
                            "{\"type\":\"read\",\"room\":\""
                                    + roomOf(peer.index)
                                    + "\",\"seq\":"
                                    + peer.readSeq
                                    + "}");
                });
    }

    /**
     * Notes the answers to joins, and counts refusals: a refused send also leaves a message
     * missing; a connection not yet in its room takes a refusal for its join.
     */
    private void answered(Peer peer, String frame) {
        if (frame.startsWith(JOINED_PREFIX)) {
            peer.joined = true;
        } else if (frame.startsWith(ERROR_PREFIX)) {
            refused++;
            peer.joinRefused = !peer.joined;
        }
    }

    /** Deliveries one message of each sender makes. */
    private long hearers(int senders) {
        long hearers = 0;
        for (int sender = 0; sender < senders; sender++) {
            for (Peer peer : peers) {
                if (hears(peer, sender)) {
                    hearers++;
                }
            }
        }
        return hearers;
    }

    private String roomOf(int connection) {
        return rooms.get(connection % rooms.size());
    }

    /** Whether a connection receives what a sender posts: they are in the same room. */
    private boolean hears(Peer peer, int sender) {
        return peer.index % rooms.size() == sender % rooms.size();
    }

    /**
     * Waits until every connection has the last message of every sender, or the drain time is over.
     */
    private void awaitDrained() throws Exception {
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        while (System.currentTimeMillis() < deadline && !onLoop(this::drained)) {
            Thread.sleep(TICK_MILLIS * 10);
        }
    }

    private boolean drained() {
        for (Peer peer : peers) {
            for (int sender = 0; sender < sent.length; sender++) {
                if (sent[sender] > 0
                        && hears(peer, sender)
                        && (peer.lastSeq.length <= sender || peer.lastSeq[sender] < sent[sender])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * {lost, duplicated} over all connections: gaps seen, plus what has not arrived of each sender.
     */
    private long[] lossTotals() {
        long lost = 0;
        long duplicated = 0;
        for (Peer peer : peers) {
            lost += peer.lost;
            duplicated += peer.duplicated;
            for (int sender = 0; sender < sent.length; sender++) {
                if (hears(peer, sender)) {
                    lost +=
                            sent[sender]
                                    - (peer.lastSeq.length > sender ? peer.lastSeq[sender] : 0);
                }
            }
        }
        return new long[] {lost, duplicated};
    }

    /** Every message sent so far, over all senders. */
    long sent() throws Exception {
        return onLoop(() -> java.util.Arrays.stream(sent).sum());
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> work) throws Exception {
        Promise<T> result = Promise.promise();
        loop.runOnContext(
                ignored -> {
                    try {
                        result.complete(work.call());
                    } catch (Exception e) {
                        result.fail(e);
                    }
                });
        return result.future().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            // Kept for the caller: a close() that throws it would hide it in try-with-resources.
            Thread.currentThread().interrupt();
        }
    }
}
