package dev.quarkchat.testing;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;

import org.awaitility.core.ConditionTimeoutException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * A real WebSocket client over a real socket (the JDK's {@code java.net.http} client), with
 * everything the server sent kept in order for tests to wait on.
 *
 * <p>Not the Vert.x client: in Vert.x 4.5 a frame that arrives in the same TCP read as the
 * handshake answer is sometimes lost (about 1 connect in 30 here), and the server sends {@code
 * welcome} at once.
 */
public final class ChatClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * Frames arrive within milliseconds on loopback: look often, so that a suite of hundreds stays
     * quick.
     */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(5);

    /** What browsers report when the connection ends without a close frame. */
    public static final int ABNORMAL_CLOSURE = 1006;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
    private volatile String closeReason = "";
    private final WebSocket socket;

    private ChatClient(Handshake handshake) throws WebSocketHandshakeException {
        HttpClient http =
                handshake.tls == null
                        ? HTTP
                        : HttpClient.newBuilder().sslContext(handshake.tls).build();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        handshake.headers.forEach(header -> builder.header(header[0], header[1]));
        if (!handshake.subprotocols.isEmpty()) {
            builder.subprotocols(
                    handshake.subprotocols.get(0),
                    handshake
                            .subprotocols
                            .subList(1, handshake.subprotocols.size())
                            .toArray(String[]::new));
        }
        try {
            socket =
                    builder.buildAsync(handshake.uri(), new Collector())
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw refused;
            }
            if (e.getCause() instanceof SSLHandshakeException untrusted) {
                throw new IllegalStateException(
                        "TLS handshake refused: " + untrusted.getMessage(), untrusted);
            }
            throw new IllegalStateException("Cannot connect to " + handshake.uri(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("No handshake answer within " + TIMEOUT, e);
        }
    }

    /**
     * Connects with {@code Authorization: Bearer <token>} and waits for the server's {@code
     * welcome}.
     */
    public static ChatClient connect(URI base, String token) {
        ChatClient client = open(handshake(base).header("Authorization", "Bearer " + token));
        client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
        return client;
    }

    /**
     * Connects as {@link #connect} does, or answers empty (and lets go of the socket) if the server
     * ends the connection before its {@code welcome}, as it does with one too many for the user.
     */
    public static Optional<ChatClient> connectUnlessEnded(URI base, String token) {
        ChatClient client = open(handshake(base).header("Authorization", "Bearer " + token));
        await().atMost(TIMEOUT)
                .pollInterval(POLL_INTERVAL)
                .until(() -> client.closed() || !client.framesOfType("welcome").isEmpty());
        if (client.framesOfType("welcome").isEmpty()) {
            client.close();
            return Optional.empty();
        }
        return Optional.of(client);
    }

    /**
     * Opens a connection as described; fails with {@link WebSocketHandshakeException} when refused.
     */
    public static ChatClient open(Handshake handshake) {
        try {
            return new ChatClient(handshake);
        } catch (WebSocketHandshakeException refused) {
            throw new IllegalStateException(
                    "Upgrade refused with HTTP " + refused.getResponse().statusCode(), refused);
        }
    }

    /** The HTTP status of a refused upgrade; fails if the upgrade is accepted. */
    public static int rejectedStatus(Handshake handshake) {
        try {
            new ChatClient(handshake).close();
        } catch (WebSocketHandshakeException refused) {
            return refused.getResponse().statusCode();
        }
        throw new AssertionError("The upgrade was accepted");
    }

    /** A handshake on {@code /chat} of the server at {@code base}, without credentials. */
    public static Handshake handshake(URI base) {
        return new Handshake(base);
    }

    public ChatClient join(String room) {
        joined(room);
        return this;
    }

    /** Joins the room and answers its {@code joined}. */
    public JsonObject joined(String room) {
        sendJson(new JsonObject().put("type", "join").put("room", room));
        return awaitFrame(
                frame ->
                        "joined".equals(frame.getString("type"))
                                && room.equals(frame.getString("room")));
    }

    /**
     * Joins the room and leaves it again, each step answered before the next (ids {@code join-} and
     * {@code leave-} then {@code attempt}); fails unless the leave is answered {@code left}.
     */
    public void joinAndLeave(String room, String attempt) {
        String join = "join-" + attempt;
        String leave = "leave-" + attempt;
        sendJson(new JsonObject().put("type", "join").put("room", room).put("id", join));
        awaitFrame(frame -> join.equals(frame.getString("id")));
        sendJson(new JsonObject().put("type", "leave").put("room", room).put("id", leave));
        JsonObject left = awaitFrame(frame -> leave.equals(frame.getString("id")));
        if (!"left".equals(left.getString("type"))) {
            throw new AssertionError("Leaving " + room + " was answered " + left);
        }
    }

    public void send(String room, String text, String id) {
        sendJson(
                new JsonObject()
                        .put("type", "send")
                        .put("room", room)
                        .put("text", text)
                        .put("id", id));
    }

    /**
     * Asks for a page of a room's history and waits for the answer, a {@code history} frame; {@code
     * before} and {@code limit} are left out where null.
     */
    public JsonObject history(String room, Long before, Integer limit, String id) {
        JsonObject frame = new JsonObject().put("type", "history").put("room", room).put("id", id);
        if (before != null) {
            frame.put("before", before);
        }
        if (limit != null) {
            frame.put("limit", limit);
        }
        sendJson(frame);
        return awaitFrame(
                answer ->
                        "history".equals(answer.getString("type"))
                                && id.equals(answer.getString("id")));
    }

    public void sendJson(JsonObject frame) {
        sendText(frame.encode());
    }

    /**
     * Sends one text message and waits until it is handed to the socket (the JDK client allows one
     * send at a time).
     */
    public synchronized void sendText(String text) {
        complete(socket.sendText(text, true));
    }

    public synchronized void sendBinary(byte[] data) {
        complete(socket.sendBinary(ByteBuffer.wrap(data), true));
    }

    /** Waits until the server has sent a frame that matches, and returns the first such frame. */
    public JsonObject awaitFrame(Predicate<JsonObject> matches) {
        return awaitFrame(TIMEOUT, matches);
    }

    /** {@link #awaitFrame(Predicate)} for something that may take longer than {@link #TIMEOUT}. */
    public JsonObject awaitFrame(Duration timeout, Predicate<JsonObject> matches) {
        try {
            return await().atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL_INTERVAL)
                    .until(
                            () -> frames.stream().filter(matches).findFirst().orElse(null),
                            Objects::nonNull);
        } catch (ConditionTimeoutException expired) {
            throw new AssertionError(
                    "No matching frame within "
                            + timeout
                            + "; closed: "
                            + closeStatus.getNow(null)
                            + "; received: "
                            + frames,
                    expired);
        }
    }

    /** Waits for the {@code message} frame that a {@code send} with that id produced. */
    public JsonObject awaitMessage(String id) {
        return awaitFrame(
                frame ->
                        "message".equals(frame.getString("type"))
                                && id.equals(frame.getString("id")));
    }

    /** Waits for the first {@code error} frame, whatever it refers to. */
    public JsonObject awaitAnyError() {
        return awaitFrame(frame -> "error".equals(frame.getString("type")));
    }

    /** Waits for the {@code error} frame that refers to the given id. */
    public JsonObject awaitError(String ref) {
        return awaitFrame(
                frame ->
                        "error".equals(frame.getString("type"))
                                && ref.equals(frame.getString("ref")));
    }

    /** Every frame received so far, of the given type. */
    public List<JsonObject> framesOfType(String type) {
        return frames.stream()
                .filter(frame -> type.equals(frame.getString("type")))
                .collect(Collectors.toList());
    }

    /** The {@code message} frames received so far from that room, in order. */
    public List<JsonObject> messagesIn(String room) {
        return framesOfType("message").stream()
                .filter(frame -> room.equals(frame.getString("room")))
                .collect(Collectors.toList());
    }

    /**
     * The {@code message} frames received so far that carry this {@code id}: a sender's own, or a
     * resend's answer.
     */
    public List<JsonObject> messagesWithId(String id) {
        return framesOfType("message").stream()
                .filter(frame -> id.equals(frame.getString("id")))
                .collect(Collectors.toList());
    }

    /** The {@code seq} of every message received so far from that room, in order. */
    public List<Long> seqsIn(String room) {
        return messagesIn(room).stream()
                .map(frame -> frame.getLong("seq"))
                .collect(Collectors.toList());
    }

    public List<JsonObject> frames() {
        return List.copyOf(frames);
    }

    /**
     * Waits for the server to end the connection and returns its close code ({@value
     * #ABNORMAL_CLOSURE} if none).
     */
    public int awaitClose() {
        return awaitCloseWithin(TIMEOUT);
    }

    /** {@link #awaitClose()} for a close that may take longer than {@link #TIMEOUT}. */
    public int awaitCloseWithin(Duration timeout) {
        try {
            return closeStatus.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(
                    "The server did not close the connection within " + timeout, e);
        }
    }

    /** Whether the connection has ended, by a close frame or without one. */
    public boolean closed() {
        return closeStatus.isDone();
    }

    /** The reason text of the server's close frame, once it came. */
    public String closeReason() {
        return closeReason;
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /**
     * Drops the TCP connection without a close frame, as a crashed client or a lost network does.
     */
    public void abort() {
        socket.abort();
    }

    @Override
    @SuppressWarnings(
            "FutureReturnValueIgnored") // the close frame is best effort: abort() ends it either
    // way
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private static void complete(CompletableFuture<WebSocket> sending) {
        try {
            sending.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not send within " + TIMEOUT, e);
        }
    }

    /** Collects whole text messages, reassembling them if the server ever fragments one. */
    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeStatus.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeStatus.complete(ABNORMAL_CLOSURE);
        }
    }

    /** Where and how to open a connection. */
    public static final class Handshake {
        private final URI base;
        private String pathAndQuery = "/chat";
        private final List<String[]> headers = new ArrayList<>();
        private final List<String> subprotocols = new ArrayList<>();
        private SSLContext tls;

        private Handshake(URI base) {
            this.base = base;
        }

        /**
         * Connects with wss:// to the base URI's host and port, trusting what {@code context}
         * trusts.
         */
        public Handshake secure(SSLContext context) {
            tls = context;
            return this;
        }

        public Handshake header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        public Handshake subprotocols(String... offered) {
            subprotocols.addAll(List.of(offered));
            return this;
        }

        public Handshake pathAndQuery(String value) {
            pathAndQuery = value;
            return this;
        }

        URI uri() {
            return URI.create(
                    (tls == null ? "ws://" : "wss://")
                            + base.getHost()
                            + ":"
                            + base.getPort()
                            + pathAndQuery);
        }
    }
}
