package dev.quarkchat.protocol;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** The chat endpoint's path, and how HTTP filters recognise an upgrade request for it. */
public final class ChatUpgrades {

    /** Where clients open their WebSocket. */
    public static final String PATH = "/chat";

    private static final String WEBSOCKET = "websocket";

    private ChatUpgrades() {}

    /** Whether the request asks to open a chat WebSocket (before any authentication has run). */
    public static boolean isChatUpgrade(RoutingContext context) {
        return PATH.equals(context.normalizedPath())
                && WEBSOCKET.equalsIgnoreCase(context.request().getHeader(HttpHeaders.UPGRADE));
    }
}
