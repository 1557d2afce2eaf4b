package dev.quarkchat.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import jakarta.validation.constraints.Pattern;

import java.util.List;
import java.util.Optional;

/**
 * Which web pages may open chat connections ({@code chat.allowed-origins}, {@code
 * chat.allow-missing-origin}).
 */
@ConfigMapping(prefix = "chat")
public interface OriginConfig {

    /**
     * Origins, besides the service's own, whose pages may connect: exact values such as {@code
     * https://chat.example.com} (scheme, host, and port if not the default). A browser upgrade from
     * any other origin gets 403, so that a page elsewhere cannot use a visitor's credentials
     * (cross-site WebSocket hijacking). The service's own origin (the request's Host) is always
     * allowed. A value that is not an origin (a path, a wildcard, a bare host name) never matches
     * what a browser sends, so it stops the service.
     */
    Optional<
                    List<
                            @Pattern(
                                    regexp = ORIGIN,
                                    message = "must be an origin such as https://chat.example.com")
                            String>>
            allowedOrigins();

    /**
     * Scheme, host and optional port; nothing else (browsers send no path, and no trailing slash).
     */
    String ORIGIN = "https?://[A-Za-z0-9.\\[\\]:-]+/?";

    /**
     * Whether an upgrade without an Origin header is let in. Browsers always send one;
     * command-line, mobile and server clients usually do not. Off by default in production, on in
     * dev and test.
     */
    @WithDefault("false")
    boolean allowMissingOrigin();
}
