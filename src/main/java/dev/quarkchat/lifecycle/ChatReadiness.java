package dev.quarkchat.lifecycle;

import dev.quarkchat.room.RoomRegistry;
import dev.quarkchat.session.ChatSessions;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/**
 * {@code /q/health/ready} goes down as soon as the instance starts draining on SIGTERM, so that the
 * load balancer stops sending new connections while the open ones are told to go (1001), and while
 * any shard of the Redis backplane is unreachable (named in {@code unreachableShards}), so that new
 * clients go to instances that can serve them.
 */
@Readiness
@ApplicationScoped
class ChatReadiness implements HealthCheck {

    private final ShutdownNotice shutdown;
    private final ChatSessions sessions;
    private final RoomRegistry rooms;

    ChatReadiness(ShutdownNotice shutdown, ChatSessions sessions, RoomRegistry rooms) {
        this.shutdown = shutdown;
        this.sessions = sessions;
        this.rooms = rooms;
    }

    @Override
    public HealthCheckResponse call() {
        boolean draining = shutdown.isDraining();
        boolean roomsAvailable = rooms.available();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("chat")
                        .status(!draining && roomsAvailable)
                        .withData("draining", draining)
                        .withData("backplane", roomsAvailable ? "up" : "unreachable")
                        .withData("connections", sessions.size());
        List<String> unreachable = rooms.unreachableShards();
        if (!unreachable.isEmpty()) {
            response.withData("unreachableShards", String.join(" ", unreachable));
        }
        return response.build();
    }
}
