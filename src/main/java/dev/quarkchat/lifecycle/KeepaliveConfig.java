package dev.quarkchat.lifecycle;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a connection may stay silent ({@code chat.keepalive.*}). The server pings every
 * connection each {@code quarkus.websockets-next.server.auto-ping-interval}; a live client answers
 * with a pong.
 */
@ConfigMapping(prefix = "chat.keepalive")
public interface KeepaliveConfig {

    /**
     * How many ping intervals a connection may miss before it is dropped, when no pong timeout is
     * set.
     */
    int DEFAULT_MISSED_PINGS = 2;

    /**
     * The longest time without a pong or any other frame before the socket is dropped (no close
     * handshake: a dead peer would never answer it). Defaults to twice the ping interval; shorter
     * than the ping interval is refused at startup, since every client would be dropped between two
     * pings.
     */
    Optional<Duration> pongTimeout();
}
