package dev.quarkchat.session;

import dev.quarkchat.engine.UserBus;
import dev.quarkchat.protocol.LogSafe;

import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

/**
 * Frames for one user wherever its connections are, on this instance or another: a conversation
 * someone opened with it, a mention. Best effort: a connection that is not open when the frame goes
 * out learns the same from its next room list.
 */
@ApplicationScoped
public class UserNotices {

    private static final Logger LOG = Logger.getLogger(UserNotices.class);

    private final ChatSessions sessions;
    private final FrameSender sender;
    private final UserBus bus;

    UserNotices(ChatSessions sessions, FrameSender sender, UserBus bus) {
        this.sessions = sessions;
        this.sender = sender;
        this.bus = bus;
    }

    void start(@Observes StartupEvent event) {
        bus.start(this::deliver);
    }

    /** Hands the frame to every connection of the user, on every instance. */
    public void tell(String user, String frame) {
        deliver(user, frame);
        bus.publish(user, frame)
                .whenComplete(
                        (done, failure) -> {
                            if (failure != null) {
                                LOG.debugf(
                                        "A frame for %s reached no other instance: %s",
                                        LogSafe.escaped(user), failure);
                            }
                        });
    }

    /**
     * A scan of this instance's sessions: notices are rare beside messages, and a scan needs no
     * index to keep in step with every connection.
     */
    private void deliver(String user, String frame) {
        OutboundFrame encoded = OutboundFrame.of(frame);
        for (ChatSession session : sessions.all()) {
            if (session.user().equals(user)) {
                sender.send(session, encoded);
            }
        }
    }
}
