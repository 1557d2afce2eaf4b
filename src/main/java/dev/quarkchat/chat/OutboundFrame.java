package dev.quarkchat.chat;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A frame encoded once and sent to any number of connections: its UTF-8 bytes are made one time, and every
 * member's socket writes a view of the same bytes, so a broadcast to a thousand members encodes and
 * measures its payload once, not a thousand times.
 */
public final class OutboundFrame {

    /** Never released: the views written to sockets share it, and the garbage collector frees it. */
    private final ByteBuf content;

    private OutboundFrame(ByteBuf content) {
        this.content = content;
    }

    public static OutboundFrame of(String text) {
        return new OutboundFrame(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** Its size in bytes on the wire, without the frame header. */
    int bytes() {
        return content.readableBytes();
    }

    /** A view of the encoded bytes for one socket: its own reader index, the shared memory. */
    ByteBuf content() {
        return content.duplicate();
    }
}
