package dev.quarkchat.engine;

import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.LiveGauge;
import dev.quarkchat.scheduling.PeriodicTasks;

import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The message ids this instance's users posted with, per user and room, for {@code
 * chat.idempotency.window} after each post (on a single instance; with Redis they live in Redis,
 * see {@code append.lua}). The {@link MemoryBroker} asks here, under the room's lock, before it
 * gives a post a seq, so that a resend is answered, not posted.
 *
 * <p>Memory is bounded by {@code chat.idempotency.max-keys-per-user} and {@code
 * chat.idempotency.max-keys}: past either, the oldest id (of that user, or of the instance) is
 * forgotten. Ids are kept oldest first, so expired ones are taken from the front as they are met,
 * and one sweep per half window frees them when nobody sends: no timer per id. Nothing is kept per
 * connection.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** Sweeps per window: an idle instance holds an expired id for half a window at most. */
    private static final int SWEEPS_PER_WINDOW = 2;

    private final PeriodicTasks tasks;
    private final long windowNanos;
    private final int maxKeysPerUser;
    private final int maxKeys;

    /** Every remembered id, oldest first. */
    private final LinkedHashMap<Key, Posted> byAge = new LinkedHashMap<>();

    /** Each user's ids, oldest first: the same entries as {@link #byAge}, in the same order. */
    private final Map<String, ArrayDeque<Key>> byUser = new HashMap<>();

    private record Key(String user, String room, String id) {}

    /**
     * How a message was posted: enough to answer a resend with the same {@code message} frame.
     *
     * @param epoch the room's epoch then: an id counts only in the run of seqs it was posted in
     */
    record Posted(String epoch, long seq, Instant ts, TextDigest text, long rememberedAtNanos) {}

    IdempotencyKeys(IdempotencyConfig config, PeriodicTasks tasks) {
        this.tasks = tasks;
        this.windowNanos = config.window().toNanos();
        this.maxKeysPerUser = config.maxKeysPerUser();
        this.maxKeys = config.maxKeys();
    }

    void start(@Observes StartupEvent event, ChatMetrics metrics) {
        metrics.observe(LiveGauge.IDEMPOTENCY_KEYS, this::size);
        tasks.every(
                Duration.ofNanos(windowNanos / SWEEPS_PER_WINDOW),
                "message id expiry sweep",
                () -> forgetExpired(System.nanoTime()));
    }

    /** How many ids are remembered now. */
    public synchronized int size() {
        return byAge.size();
    }

    /**
     * The post of that id by that user in that room, if it was within the window and in this epoch
     * of the room.
     */
    synchronized Optional<Posted> find(String user, String room, String id, String epoch) {
        forgetExpired(System.nanoTime());
        Posted posted = byAge.get(new Key(user, room, id));
        return posted != null && posted.epoch().equals(epoch)
                ? Optional.of(posted)
                : Optional.empty();
    }

    /**
     * Remembers a post, forgetting the oldest ids past the caps, and the id's post in an earlier
     * epoch.
     */
    synchronized void remember(
            String user,
            String room,
            String id,
            String epoch,
            long seq,
            Instant ts,
            TextDigest text) {
        Key key = new Key(user, room, id);
        ArrayDeque<Key> ofUser = byUser.computeIfAbsent(user, name -> new ArrayDeque<>());
        if (byAge.remove(key) != null) {
            ofUser.remove(key);
        }
        byAge.put(key, new Posted(epoch, seq, ts, text, System.nanoTime()));
        ofUser.addLast(key);
        if (ofUser.size() > maxKeysPerUser) {
            byAge.remove(ofUser.removeFirst());
        }
        if (byAge.size() > maxKeys) {
            forgetOldest();
        }
    }

    private synchronized void forgetExpired(long now) {
        Iterator<Map.Entry<Key, Posted>> oldestFirst = byAge.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Map.Entry<Key, Posted> oldest = oldestFirst.next();
            if (now - oldest.getValue().rememberedAtNanos() < windowNanos) {
                return;
            }
            oldestFirst.remove();
            forgetFirstOf(oldest.getKey().user());
        }
    }

    private void forgetOldest() {
        Iterator<Key> oldestFirst = byAge.keySet().iterator();
        Key oldest = oldestFirst.next();
        oldestFirst.remove();
        forgetFirstOf(oldest.user());
    }

    /**
     * The instance's oldest id is also its user's oldest: drops it there, and the user once it has
     * none.
     */
    private void forgetFirstOf(String user) {
        ArrayDeque<Key> ofUser = byUser.get(user);
        ofUser.removeFirst();
        if (ofUser.isEmpty()) {
            byUser.remove(user);
        }
    }
}
