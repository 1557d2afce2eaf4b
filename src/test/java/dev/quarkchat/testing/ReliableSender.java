package dev.quarkchat.testing;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A client that posts a stream of numbered messages to one room the way protocol.md's "Writing a
 * reliable client" says, while the instances, Redis or the database behind it fail: it keeps every
 * {@code send} until its answer, waits for the instance to be ready again after {@code
 * unavailable}, and after a lost connection rejoins another instance with {@code since} and {@code
 * epoch} and sends every unanswered message again with its {@code id}. A {@link #forgetful} one
 * instead gives up what was unanswered, as a client that crashed with its sends does.
 *
 * <p>It checks what it sees as it goes, and stops with an {@link AssertionError} on the first
 * breach: every message it is given continues its view of the room without a gap (or repeats one it
 * has, unchanged), every rejoin recovers, in the room's one epoch, and no send goes unanswered for
 * longer than {@link #ANSWER_TIMEOUT}. Run it on a thread of its own; the test reads what it has
 * sent, what was acknowledged and its view.
 */
public final class ReliableSender implements Runnable {

    /** Sends waiting for their answer at a time, so that several are in flight at any moment. */
    private static final int WINDOW = 8;

    /** Long enough for a killed instance, or every instance, to start again. */
    private static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(60);

    /** Far above the store's statement timeout: a send without an answer by then was dropped. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(5);
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(100);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String user;
    private final String room;
    private final String epoch;
    private final Supplier<List<URI>> instances;
    private final boolean resends;

    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> epochs = ConcurrentHashMap.newKeySet();
    private final List<String> view = new CopyOnWriteArrayList<>();
    private final AtomicInteger sentAgain = new AtomicInteger();
    private volatile boolean stopping;

    /** Sent and not answered yet, in the order sent: id to text, and when it went out. */
    private final Map<String, Pending> unanswered = new LinkedHashMap<>();

    private ChatClient client;
    private URI connectedTo;
    private int framesRead;
    private int nextNumber = 1;
    private int connectAttempts;
    private int joins;

    private record Pending(String text, long sentAt) {}

    private ReliableSender(
            String user,
            String room,
            String epoch,
            Supplier<List<URI>> instances,
            boolean resends) {
        this.user = user;
        this.room = room;
        this.epoch = epoch;
        this.instances = instances;
        this.resends = resends;
    }

    /**
     * A sender that resends until every message is answered.
     *
     * @param epoch the room's epoch, from a client that made the room: the sender joins from seq 0
     *     in it, and must recover every time
     * @param instances where it may connect, asked again at every reconnect; a dead one is skipped
     */
    public static ReliableSender resending(
            String user, String room, String epoch, Supplier<List<URI>> instances) {
        return new ReliableSender(user, room, epoch, instances, true);
    }

    /**
     * A sender that never sends anything again: what was unanswered when its connection dropped, or
     * was answered {@code unavailable}, may or may not have been posted.
     */
    public static ReliableSender forgetful(
            String user, String room, String epoch, Supplier<List<URI>> instances) {
        return new ReliableSender(user, room, epoch, instances, false);
    }

    public String user() {
        return user;
    }

    /** The id and seq of every message of this sender that was acknowledged. */
    public Map<String, Long> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    /** The ids of every message this sender sent, answered or not. */
    public Set<String> sent() {
        return Set.copyOf(sent);
    }

    /**
     * How many sends went out again, with the id they had, after a lost connection or a refusal.
     */
    public int sentAgain() {
        return sentAgain.get();
    }

    /** The epoch of every {@code joined} it got. */
    public Set<String> epochs() {
        return Set.copyOf(epochs);
    }

    /** The ids of the room's messages as this sender saw them, by seq: the first is seq 1. */
    public List<String> view() {
        return List.copyOf(view);
    }

    /** Sends nothing new; the sender ends once everything it sent is answered or given up. */
    public void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        try {
            while (!stopping || !unanswered.isEmpty()) {
                if (client == null || client.closed()) {
                    connectAndJoin();
                    sendUnansweredAgain();
                }
                while (!stopping && unanswered.size() < WINDOW && client != null) {
                    String id = user + "-" + nextNumber;
                    send(id, "message " + nextNumber + " of " + user);
                    nextNumber++;
                }
                if (client != null && !client.closed()) {
                    awaitNewFrames();
                }
                if (client != null) {
                    readNewFrames();
                }
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private void connectAndJoin() {
        if (client != null) {
            client.abort();
            client = null;
        }
        await().atMost(RECONNECT_TIMEOUT)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(RETRY_INTERVAL)
                .until(this::tryToConnectAndJoin);
    }

    /** One attempt, on the next instance in turn: false if it is down or cannot serve the room. */
    private boolean tryToConnectAndJoin() {
        List<URI> all = instances.get();
        URI base = all.get(connectAttempts++ % all.size());
        ChatClient candidate;
        try {
            candidate = ChatClient.connect(base, OperatorKeys.token(user));
        } catch (IllegalStateException | AssertionError down) {
            return false;
        }
        String joinId = "join-" + ++joins;
        long since = view.size();
        JsonObject answer;
        try {
            candidate.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", room)
                            .put("since", since)
                            .put("epoch", epoch)
                            .put("id", joinId));
            answer =
                    candidate.awaitFrame(
                            frame ->
                                    joinId.equals(frame.getString("id"))
                                            || joinId.equals(frame.getString("ref")));
        } catch (IllegalStateException | AssertionError lost) {
            candidate.abort();
            return false;
        }
        if ("error".equals(answer.getString("type"))) {
            candidate.abort();
            if (!"unavailable".equals(answer.getString("code"))) {
                throw new AssertionError(user + ": join refused: " + answer);
            }
            return false;
        }
        epochs.add(answer.getString("epoch"));
        if (!epoch.equals(answer.getString("epoch")) || !answer.getBoolean("recovered")) {
            throw new AssertionError(
                    user + ": rejoined at seq " + since + " without recovering: " + answer);
        }
        client = candidate;
        connectedTo = base;
        framesRead = candidate.frames().indexOf(answer) + 1;
        return true;
    }

    /** After a reconnect: every unanswered send again, in order, or given up by a forgetful one. */
    private void sendUnansweredAgain() {
        List<Map.Entry<String, Pending>> again = new ArrayList<>(unanswered.entrySet());
        unanswered.clear();
        if (resends) {
            again.forEach(send -> send(send.getKey(), send.getValue().text()));
        }
    }

    private void send(String id, String text) {
        if (!sent.add(id)) {
            sentAgain.incrementAndGet();
        }
        unanswered.put(id, new Pending(text, System.nanoTime()));
        if (client == null || client.closed()) {
            return;
        }
        try {
            client.send(room, text, id);
        } catch (IllegalStateException lost) {
            // The instance died under it: the answer never comes, and the reconnect sends it again.
            client.abort();
            client = null;
        }
    }

    /** Waits for a frame or the end of the connection; fails if a send is left unanswered. */
    private void awaitNewFrames() {
        await().atMost(ANSWER_TIMEOUT)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(POLL_INTERVAL)
                .until(() -> client.closed() || client.frames().size() > framesRead);
        long oldest = System.nanoTime() - ANSWER_TIMEOUT.toNanos();
        unanswered.forEach(
                (id, pending) -> {
                    if (pending.sentAt() < oldest && !client.closed()) {
                        throw new AssertionError(
                                user + ": no answer to " + id + " within " + ANSWER_TIMEOUT);
                    }
                });
    }

    private void readNewFrames() {
        List<JsonObject> frames = client.frames();
        List<String> refused = new ArrayList<>();
        for (JsonObject frame : frames.subList(framesRead, frames.size())) {
            switch (frame.getString("type")) {
                case "message" -> {
                    if (room.equals(frame.getString("room"))) {
                        see(frame);
                    }
                }
                case "joined" -> {
                    if (room.equals(frame.getString("room"))) {
                        epochs.add(frame.getString("epoch"));
                        throw new AssertionError(user + ": an unasked joined: " + frame);
                    }
                }
                case "error" -> {
                    if ("unavailable".equals(frame.getString("code"))
                            && frame.getString("ref") == null) {
                        // The room list every connection gets, refused while the store was
                        // down: no send of this client.
                        continue;
                    }
                    if (!"unavailable".equals(frame.getString("code"))
                            || !sent.contains(frame.getString("ref"))) {
                        throw new AssertionError(user + ": unexpected " + frame);
                    }
                    refused.add(frame.getString("ref"));
                }
                default -> {
                    // presence and the like: nothing to check here
                }
            }
        }
        framesRead = frames.size();
        if (!refused.isEmpty()) {
            awaitReadiness();
            for (String id : refused) {
                // Refused, yet stored: the room may have caught up with it from the store since.
                Pending pending = unanswered.remove(id);
                if (pending != null && resends) {
                    send(id, pending.text());
                }
            }
        }
    }

    /** A message: the next of the view, or one it has, and the answer to a send of this sender. */
    private void see(JsonObject frame) {
        long seq = frame.getLong("seq");
        String id = frame.getString("id");
        if (seq == view.size() + 1) {
            view.add(id);
        } else if (seq > view.size() || !Objects.equals(view.get((int) seq - 1), id)) {
            throw new AssertionError(
                    user + ": after seq " + view.size() + " came " + frame + "; view " + view);
        }
        if (user.equals(frame.getString("from")) && unanswered.remove(id) != null) {
            acknowledged.put(id, seq);
        }
    }

    /**
     * After {@code unavailable}: waits until the instance is ready again, or the connection ends.
     */
    private void awaitReadiness() {
        await().atMost(RECONNECT_TIMEOUT)
                .pollInSameThread()
                .pollInterval(RETRY_INTERVAL)
                .until(() -> client.closed() || ready(connectedTo));
    }

    private static boolean ready(URI base) {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                                            .timeout(RETRY_INTERVAL.multipliedBy(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException down) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
