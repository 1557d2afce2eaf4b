package dev.quarkchat.session;

/**
 * A token bucket: {@code burst} events at once, refilled at {@code perSecond}. Not thread-safe: a
 * connection's frames use it from that connection's callbacks only, which websockets-next runs one
 * at a time; callers on several threads synchronize on it.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    public TokenBucket(double perSecond, int burst, long nowNanos) {
        this.perNano = perSecond / NANOS_PER_SECOND;
        this.capacity = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * perNano);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long nothing was taken; after {@code burst / perSecond} the bucket is full again. */
    public long idleNanos(long nowNanos) {
        return nowNanos - refilledAt;
    }
}
