package dev.quarkchat.chat;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;

/**
 * Text frames must be valid UTF-8 (RFC 6455, 8.1); a connection that sends anything else is closed with
 * 1007. Vert.x's server does not check (it decodes invalid bytes to U+FFFD), so Netty's own validator is put
 * into the connection's pipeline between Netty's frame codec and Vert.x's handler, where it sees decoded
 * frames and its close frame still gets encoded (Vert.x 4 internals; revisit on Vert.x 5).
 */
final class Utf8FrameValidation {

    /** The names Netty's WebSocket handshake gives its frame decoder, and Vert.x its connection handler. */
    private static final String FRAME_DECODER = "wsdecoder";
    private static final String VERTX_HANDLER = "handler";
    private static final String VALIDATOR = "chat-utf8-validator";

    private Utf8FrameValidation() {
    }

    static void install(ChannelPipeline pipeline) {
        if (pipeline.get(FRAME_DECODER) != null && pipeline.get(VERTX_HANDLER) != null && pipeline.get(VALIDATOR) == null) {
            pipeline.addBefore(VERTX_HANDLER, VALIDATOR, new Utf8FrameValidator(true));
        }
    }
}
