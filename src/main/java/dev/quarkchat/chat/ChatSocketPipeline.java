package dev.quarkchat.chat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * How a chat socket's Netty pipeline differs from the one Vert.x sets up after the upgrade (Vert.x 4
 * internals: the handler names below; revisit on Vert.x 5). A pipeline without the handlers named here
 * fails the connection at its upgrade, loudly, rather than running without the checks below.
 * <ul>
 * <li>A message over the size limit ends the connection with close 1009 at any size, and nothing more of it is
 * read. Netty's frame decoder checks a frame's length in its header, before reading the payload, but
 * Vert.x configures it to raise an error instead of answering, and on that error Vert.x drops the TCP
 * connection without a close frame; a message made of continuation frames is only measured by Vert.x,
 * which reads every frame the client sends until the close handshake ends. So a {@link MessageSizeGuard}
 * goes right after the decoder: it sees every decoded frame and the decoder's error, and hands the
 * connection to the chat to close.</li>
 * <li>Text frames must be valid UTF-8 (RFC 6455, 8.1); a connection that sends anything else is closed with
 * 1007. Vert.x's server does not check (it decodes invalid bytes to U+FFFD), so Netty's own validator goes
 * between Netty's frame codec and Vert.x's handler, where it sees decoded frames and its close frame still
 * gets encoded.</li>
 * <li>Quarkus' HTTP idle timeout (a Netty {@code IdleStateHandler}) puts a listener on every frame written;
 * on a chat socket the keepalive (pings, {@code chat.keepalive.pong-timeout}) decides when it is dead, so
 * the handler goes. It is only there while {@code quarkus.http.idle-timeout} is set.</li>
 * </ul>
 */
public final class ChatSocketPipeline {

    /** The names Netty's WebSocket handshake gives its frame decoder, and Vert.x its connection handler. */
    private static final String FRAME_DECODER = "wsdecoder";
    private static final String VERTX_HANDLER = "handler";
    /** The name Vert.x gives the handler of {@code quarkus.http.idle-timeout}. */
    private static final String HTTP_IDLE_TIMEOUT = "idle";
    private static final String SIZE_GUARD = "chat-message-size-guard";
    private static final String VALIDATOR = "chat-utf8-validator";

    private ChatSocketPipeline() {
    }

    /**
     * @param maxMessageBytes the largest message, as {@code quarkus.websockets-next.server.max-message-size}
     * @param tooBig called, on the socket's event loop, once a message goes over it; the socket reads nothing
     *        more, and the rest of that message never reaches Vert.x
     */
    public static void adapt(ChannelPipeline pipeline, int maxMessageBytes, Runnable tooBig) {
        if (!(pipeline.get(FRAME_DECODER) instanceof WebSocket08FrameDecoder) || pipeline.get(VERTX_HANDLER) == null) {
            throw new IllegalStateException("A chat socket's pipeline lacks Netty's WebSocket frame decoder ("
                    + FRAME_DECODER + ") or Vert.x's handler (" + VERTX_HANDLER + "): " + pipeline.names()
                    + "; Vert.x's internals changed, see ChatSocketPipeline");
        }
        pipeline.addAfter(FRAME_DECODER, SIZE_GUARD, new MessageSizeGuard(maxMessageBytes, tooBig));
        pipeline.addBefore(VERTX_HANDLER, VALIDATOR, new Utf8FrameValidator(true));
        if (pipeline.get(HTTP_IDLE_TIMEOUT) != null) {
            pipeline.remove(HTTP_IDLE_TIMEOUT);
        }
    }

    /**
     * Measures every message as its frames come out of the decoder, and takes over the decoder's refusal of a
     * frame over {@code max-frame-size} (read from its header). Past either limit it stops the socket reading,
     * drops every later frame, and calls the chat once.
     */
    private static final class MessageSizeGuard extends ChannelInboundHandlerAdapter {

        private final int maxMessageBytes;
        private final Runnable tooBig;
        /** Payload bytes of the message being received so far, its earlier fragments included. */
        private long messageBytes;
        private boolean refused;

        MessageSizeGuard(int maxMessageBytes, Runnable tooBig) {
            this.maxMessageBytes = maxMessageBytes;
            this.tooBig = tooBig;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!refused && msg instanceof WebSocketFrame frame && isDataFrame(frame)) {
                messageBytes = (frame instanceof ContinuationWebSocketFrame ? messageBytes : 0)
                        + frame.content().readableBytes();
                if (messageBytes > maxMessageBytes) {
                    refuse(ctx);
                } else if (frame.isFinalFragment()) {
                    messageBytes = 0;
                }
            }
            if (refused) {
                ReferenceCountUtil.release(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof CorruptedWebSocketFrameException corrupted
                    && (refused || corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code())) {
                // Passed on, it would reach Vert.x's handler, which closes the channel before any close frame.
                refuse(ctx);
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }

        private void refuse(ChannelHandlerContext ctx) {
            if (refused) {
                return;
            }
            refused = true;
            ctx.channel().config().setAutoRead(false);
            tooBig.run();
        }

        private static boolean isDataFrame(WebSocketFrame frame) {
            return frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame;
        }
    }
}
