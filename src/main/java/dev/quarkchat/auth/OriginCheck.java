package dev.quarkchat.auth;

import dev.quarkchat.protocol.HttpStatus;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses, with 403, a WebSocket upgrade sent by a page of another origin: without this any web
 * site could open a chat connection with its visitor's credentials. The service's own origin and
 * those of {@code chat.allowed-origins} pass; a missing Origin passes only with {@code
 * chat.allow-missing-origin}.
 */
@ApplicationScoped
public class OriginCheck implements HttpUpgradeCheck {

    private final Set<String> allowedOrigins;
    private final boolean allowMissingOrigin;

    OriginCheck(OriginConfig config) {
        this.allowedOrigins =
                config.allowedOrigins().orElse(List.of()).stream()
                        .map(OriginCheck::normalized)
                        .collect(Collectors.toUnmodifiableSet());
        this.allowMissingOrigin = config.allowMissingOrigin();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader(HttpHeaders.ORIGIN);
        boolean allowed =
                origin == null
                        ? allowMissingOrigin
                        : allowedOrigins.contains(normalized(origin))
                                || isSameOrigin(
                                        origin, context.httpRequest().getHeader(HttpHeaders.HOST));
        return allowed
                ? CheckResult.permitUpgrade()
                : CheckResult.rejectUpgrade(HttpStatus.FORBIDDEN);
    }

    /**
     * A page served by this service itself: the Origin's host and port are the Host the request was
     * sent to.
     */
    private static boolean isSameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            String authority =
                    uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static String normalized(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
