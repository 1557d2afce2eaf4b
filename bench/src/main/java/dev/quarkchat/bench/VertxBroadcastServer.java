package dev.quarkchat.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference upper bound for a JVM: a minimal raw Vert.x WebSocket server that broadcasts every
 * text frame to every open connection, the classic lesson chat server with nothing else (no auth,
 * no rooms, no JSON). One event loop, as the server gets one core.
 *
 * <p>{@code java -cp ... dev.quarkchat.bench.VertxBroadcastServer <port>}
 */
public final class VertxBroadcastServer {

    private VertxBroadcastServer() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        List<ServerWebSocket> clients = new ArrayList<>();
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .webSocketHandler(
                        socket -> {
                            clients.add(socket);
                            socket.closeHandler(closed -> clients.remove(socket));
                            socket.textMessageHandler(
                                    text -> {
                                        for (ServerWebSocket client : clients) {
                                            client.writeTextMessage(text);
                                        }
                                    });
                        })
                .listen(port)
                .onSuccess(server -> System.out.println("Listening on " + port));
    }
}
