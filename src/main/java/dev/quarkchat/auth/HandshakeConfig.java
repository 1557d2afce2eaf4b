package dev.quarkchat.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * What a TCP connection may hold before it is a chat socket ({@code chat.handshake.*}): until then
 * it has shown no token, so it gets little time and each client address few of them.
 */
@ConfigMapping(prefix = "chat.handshake")
public interface HandshakeConfig {

    /**
     * How long a request head may take to arrive: from the connection's accept (TLS handshake
     * included), and again from the end of each response on a connection that was not upgraded.
     * Past it, the connection is closed without an answer.
     */
    @WithDefault("5s")
    @DurationMin(millis = 100)
    Duration headTimeout();

    /**
     * How many connections one client address may hold that are not (yet) chat sockets; one more is
     * closed at once. Trusted proxies ({@code quarkus.http.proxy.trusted-proxies}) are exempt.
     */
    @WithDefault("64")
    @Min(1)
    int maxPendingPerAddress();
}
