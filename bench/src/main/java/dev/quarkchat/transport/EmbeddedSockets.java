package dev.quarkchat.transport;

import io.netty.channel.ChannelHandlerContext;

/**
 * Chat sockets over pipelines that are not Vert.x connections, to measure the server's own work per
 * delivery.
 */
public final class EmbeddedSockets {

    private EmbeddedSockets() {}

    /**
     * The socket whose frames go out at {@code context}, its queue limited as by {@code
     * chat.max-pending-bytes}.
     */
    public static NettyTransport.Socket at(ChannelHandlerContext context, long maxPendingBytes) {
        return NettyTransport.socketAt(context, maxPendingBytes);
    }
}
