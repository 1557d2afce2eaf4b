package dev.quarkchat.engine;

/**
 * A place in a room's sequence: the {@code seq} of a message in an {@code epoch} (a run of seqs).
 */
public record StreamPosition(String epoch, long seq) {}
