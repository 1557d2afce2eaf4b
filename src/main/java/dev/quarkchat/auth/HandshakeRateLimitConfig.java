package dev.quarkchat.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import jakarta.validation.constraints.Min;

/**
 * How many WebSocket upgrades one client address may attempt ({@code chat.handshake-rate-limit.*}).
 */
@ConfigMapping(prefix = "chat.handshake-rate-limit")
public interface HandshakeRateLimitConfig {

    /** Sustained upgrades per second per client address; past it, 429. */
    @WithDefault("20")
    @Min(1)
    int perSecond();

    /** Upgrades one address may attempt at once (a page reload, a reconnect after a restart). */
    @WithDefault("100")
    @Min(1)
    int burst();
}
