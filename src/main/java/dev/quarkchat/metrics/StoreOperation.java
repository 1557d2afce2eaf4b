package dev.quarkchat.metrics;

/**
 * What the durable store was doing when it failed: the {@code operation} label of {@code
 * chat_store_errors_total}.
 */
public enum StoreOperation {

    /** Committing a batch of messages: its sends were answered {@code unavailable}. */
    APPEND("append"),
    /** Reading a room's position and messages for a join or a catch-up. */
    READ("read"),
    /** Reading a page of history for a {@code history} frame. */
    PAGE("page"),
    /** Deleting messages past retention: retried at the next run. */
    RETENTION("retention"),
    /** Keeping or reading where users stopped reading rooms. */
    READ_POSITIONS("read_positions"),
    /** Keeping or reading the rooms each user belongs to. */
    MEMBERSHIPS("memberships"),
    /** Keeping, lifting or reading bans. */
    BANS("bans"),
    /** Checking that the database answers. */
    CHECK("check");

    private final String label;

    StoreOperation(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
