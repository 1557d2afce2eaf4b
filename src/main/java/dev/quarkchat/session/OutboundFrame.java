package dev.quarkchat.session;

import dev.quarkchat.transport.NettyTransport;

import java.nio.charset.StandardCharsets;

/**
 * A frame encoded once and sent to any number of connections: its UTF-8 bytes are made one time,
 * and every member's socket writes a view of the same bytes, so a broadcast to a thousand members
 * encodes and measures its payload once, not a thousand times.
 */
public final class OutboundFrame {

    private final NettyTransport.SharedBytes utf8;

    private OutboundFrame(NettyTransport.SharedBytes utf8) {
        this.utf8 = utf8;
    }

    public static OutboundFrame of(String text) {
        return new OutboundFrame(
                new NettyTransport.SharedBytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Its size in bytes on the wire, without the frame header. */
    int bytes() {
        return utf8.length();
    }

    /** The encoded bytes, for every socket to write. */
    NettyTransport.SharedBytes utf8() {
        return utf8;
    }
}
