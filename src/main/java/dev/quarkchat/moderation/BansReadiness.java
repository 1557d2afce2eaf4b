package dev.quarkchat.moderation;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} stays down until the instance has loaded the bans from their store once:
 * until then its copy is empty, and a banned user's upgrade would be accepted. An instance that
 * starts while Redis or the database is still coming up loads them as soon as it can.
 */
@Readiness
@ApplicationScoped
class BansReadiness implements HealthCheck {

    private final Moderation moderation;

    BansReadiness(Moderation moderation) {
        this.moderation = moderation;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("bans").status(moderation.bansLoaded()).build();
    }
}
