package dev.quarkchat.scheduling;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place periodic work is started, and stopped: every task is cancelled when the service
 * shuts down. Tasks run on a Vert.x event loop, so they must not block; Quarkus' scheduler is not
 * used because its one-second tick is too coarse for sub-second keepalive settings. A task that
 * throws is logged and runs again at its next period.
 */
@ApplicationScoped
public class PeriodicTasks {

    private static final Logger LOG = Logger.getLogger(PeriodicTasks.class);

    private final Vertx vertx;
    private final Set<Long> timers = ConcurrentHashMap.newKeySet();

    PeriodicTasks(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Runs {@code task} every {@code period} (at least every millisecond) until shutdown.
     *
     * @param name what the task does, for the log if it fails
     */
    public void every(Duration period, String name, Runnable task) {
        long timer =
                vertx.setPeriodic(
                        Math.max(1, period.toMillis()),
                        id -> {
                            try {
                                task.run();
                            } catch (RuntimeException failure) {
                                LOG.errorf(
                                        failure,
                                        "Periodic task '%s' failed; it runs again in %s",
                                        name,
                                        period);
                            }
                        });
        timers.add(timer);
    }

    void stop(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
        timers.clear();
    }
}
