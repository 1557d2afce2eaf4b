package dev.quarkchat.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Right after a chat socket's frame decoder: measures every message as its frames come out, and
 * takes over the decoder's refusal of a frame over {@code max-frame-size} (read from its header).
 * Past either limit it stops the socket reading, drops every later frame, and tells the chat once,
 * so that the connection ends with 1009 at any size and nothing more of it is read.
 *
 * <p>Without it, Vert.x configures the decoder to raise an error instead of answering, and on that
 * error drops the TCP connection without a close frame; a message made of continuation frames is
 * only measured by Vert.x, which reads every frame the client sends until the close handshake ends.
 */
final class MessageSizeGuard extends ChannelInboundHandlerAdapter {

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
            messageBytes =
                    (frame instanceof ContinuationWebSocketFrame ? messageBytes : 0)
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
                && (refused
                        || corrupted.closeStatus().code()
                                == WebSocketCloseStatus.MESSAGE_TOO_BIG.code())) {
            // Passed on, it would reach Vert.x's handler, which closes the channel before any close
            // frame.
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
        return frame instanceof TextWebSocketFrame
                || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame;
    }
}
