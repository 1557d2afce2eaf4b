package dev.quarkchat.transport;

/**
 * What one chat socket may hold.
 *
 * @param maxMessageBytes the largest message a client may send, as {@code
 *     quarkus.websockets-next.server.max-message-size}
 * @param maxPendingBytes the most outbound bytes (frames with their headers) queued for the socket
 *     and not yet taken by the kernel, as {@code chat.max-pending-bytes}
 */
public record SocketLimits(int maxMessageBytes, long maxPendingBytes) {}
