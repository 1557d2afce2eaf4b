package dev.quarkchat.engine;

import java.util.List;

/**
 * Where a room's sequence stood at one instant, its {@code epoch} and the {@code seq} of its latest
 * message, and the messages for the reader: those after its position if all are still held ({@code
 * recovered}), else the latest ones.
 */
public record HistorySnapshot(String epoch, long seq, List<String> frames, boolean recovered) {}
