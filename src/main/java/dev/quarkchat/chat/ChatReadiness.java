package dev.quarkchat.chat;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} goes down as soon as the instance starts draining on SIGTERM, so that the load
 * balancer stops sending new connections while the open ones are told to go (1001).
 */
@Readiness
@ApplicationScoped
class ChatReadiness implements HealthCheck {

    private final ShutdownNotice shutdown;
    private final ChatSessions sessions;

    ChatReadiness(ShutdownNotice shutdown, ChatSessions sessions) {
        this.shutdown = shutdown;
        this.sessions = sessions;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("chat").status(!shutdown.isDraining())
                .withData("draining", shutdown.isDraining()).withData("connections", sessions.size()).build();
    }
}
