package dev.quarkchat.chat;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;

/**
 * How a chat socket's Netty pipeline differs from the one Vert.x sets up after the upgrade (Vert.x 4
 * internals: the handler names below; revisit on Vert.x 5).
 * <ul>
 * <li>Text frames must be valid UTF-8 (RFC 6455, 8.1); a connection that sends anything else is closed with
 * 1007. Vert.x's server does not check (it decodes invalid bytes to U+FFFD), so Netty's own validator goes
 * between Netty's frame codec and Vert.x's handler, where it sees decoded frames and its close frame still
 * gets encoded.</li>
 * <li>Quarkus' HTTP idle timeout (a Netty {@code IdleStateHandler}) puts a listener on every frame written;
 * on a chat socket the keepalive (pings, {@code chat.keepalive.pong-timeout}) decides when it is dead, so
 * the handler goes.</li>
 * </ul>
 */
final class ChatSocketPipeline {

    /** The names Netty's WebSocket handshake gives its frame decoder, and Vert.x its connection handler. */
    private static final String FRAME_DECODER = "wsdecoder";
    private static final String VERTX_HANDLER = "handler";
    /** The name Vert.x gives the handler of {@code quarkus.http.idle-timeout}. */
    private static final String HTTP_IDLE_TIMEOUT = "idle";
    private static final String VALIDATOR = "chat-utf8-validator";

    private ChatSocketPipeline() {
    }

    static void adapt(ChannelPipeline pipeline) {
        if (pipeline.get(FRAME_DECODER) != null && pipeline.get(VERTX_HANDLER) != null && pipeline.get(VALIDATOR) == null) {
            pipeline.addBefore(VERTX_HANDLER, VALIDATOR, new Utf8FrameValidator(true));
        }
        if (pipeline.get(HTTP_IDLE_TIMEOUT) != null) {
            pipeline.remove(HTTP_IDLE_TIMEOUT);
        }
    }
}
