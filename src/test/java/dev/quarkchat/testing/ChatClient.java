package dev.quarkchat.testing;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

/**
 * A real WebSocket client over a real socket (Vert.x), with everything the server sent kept in order, for
 * tests to wait on. It can also write frames the way a hostile or unusual client would.
 */
public final class ChatClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Frames arrive within milliseconds on loopback: look often, so that a suite of hundreds stays quick. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(5);

    private final WebSocket socket;
    private final WebSocketClient client;
    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Short> closeStatus = new CompletableFuture<>();

    private ChatClient(WebSocket socket, WebSocketClient client) {
        this.socket = socket;
        this.client = client;
        socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
        socket.closeHandler(closed -> closeStatus.complete(socket.closeStatusCode()));
    }

    /** Connects with {@code Authorization: Bearer <token>} and waits for the server's {@code welcome}. */
    public static ChatClient connect(Vertx vertx, URI base, String token) {
        ChatClient client = open(vertx, base, options(base).addHeader("Authorization", "Bearer " + token));
        client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
        return client;
    }

    /** Opens a connection with the given options; fails with {@link UpgradeRejectedException} when refused. */
    public static ChatClient open(Vertx vertx, URI base, WebSocketConnectOptions options) {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions());
        // Handlers are set in the completion callback, on the socket's event loop, before any frame is delivered.
        Future<ChatClient> connecting = client.connect(options).map(socket -> new ChatClient(socket, client));
        try {
            return connecting.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            client.close();
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            client.close();
            throw new IllegalStateException("No handshake answer within " + TIMEOUT, e);
        }
    }

    /** The HTTP status of a refused upgrade. */
    public static int rejectedStatus(Vertx vertx, URI base, WebSocketConnectOptions options) {
        try (ChatClient unexpected = open(vertx, base, options)) {
            throw new AssertionError("The upgrade was accepted");
        } catch (UpgradeRejectedException rejected) {
            return rejected.getStatus();
        }
    }

    /** Options for {@code /chat} on the server under test, without credentials. */
    public static WebSocketConnectOptions options(URI base) {
        return new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort()).setURI("/chat");
    }

    public ChatClient join(String room) {
        sendJson(new JsonObject().put("type", "join").put("room", room));
        awaitFrame(frame -> "joined".equals(frame.getString("type")) && room.equals(frame.getString("room")));
        return this;
    }

    public void send(String room, String text, String id) {
        sendJson(new JsonObject().put("type", "send").put("room", room).put("text", text).put("id", id));
    }

    public void sendJson(JsonObject frame) {
        sendText(frame.encode());
    }

    public void sendText(String text) {
        socket.writeTextMessage(text);
    }

    public void sendBinary(Buffer data) {
        socket.writeBinaryMessage(data);
    }

    public void sendFrame(WebSocketFrame frame) {
        socket.writeFrame(frame);
    }

    /** Waits until the server has sent a frame that matches, and returns the first such frame. */
    public JsonObject awaitFrame(Predicate<JsonObject> matches) {
        try {
            return await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
                    .until(() -> frames.stream().filter(matches).findFirst().orElse(null), Objects::nonNull);
        } catch (ConditionTimeoutException timeout) {
            throw new AssertionError("No matching frame within " + TIMEOUT + "; socket closed: " + socket.isClosed()
                    + " (status " + socket.closeStatusCode() + "); received: " + frames, timeout);
        }
    }

    /** Waits for the {@code message} frame this client's own {@code send} with that id produced. */
    public JsonObject awaitMessage(String id) {
        return awaitFrame(frame -> "message".equals(frame.getString("type")) && id.equals(frame.getString("id")));
    }

    /** Waits for the {@code error} frame that refers to the given id. */
    public JsonObject awaitError(String ref) {
        return awaitFrame(frame -> "error".equals(frame.getString("type")) && ref.equals(frame.getString("ref")));
    }

    /** Every frame received so far, of the given type. */
    public List<JsonObject> framesOfType(String type) {
        return frames.stream().filter(frame -> type.equals(frame.getString("type"))).collect(Collectors.toList());
    }

    public List<JsonObject> frames() {
        return List.copyOf(frames);
    }

    /** Waits for the server to close the connection and returns the close code it sent. */
    public short awaitClose() {
        try {
            return closeStatus.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("The server did not close the connection within " + TIMEOUT, e);
        }
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    public String subprotocol() {
        return socket.subProtocol();
    }

    @Override
    public void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
        client.close();
    }
}
