package dev.quarkchat.config;

/**
 * Where rooms live ({@code chat.backplane}): in this process only, or shared by every instance
 * through Redis.
 */
public enum Backplane {
    /**
     * One instance: rooms, sequence numbers, history and presence in memory. Nothing else to run.
     */
    NONE,
    /**
     * Several instances behind one Service: messages, sequence numbers, history and presence in
     * Redis.
     */
    REDIS
}
