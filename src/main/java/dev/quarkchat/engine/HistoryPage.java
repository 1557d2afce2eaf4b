package dev.quarkchat.engine;

import java.util.List;

/**
 * A page of a room's history for scrolling back: messages of the room's {@code epoch}, oldest
 * first, each a {@code message} frame.
 *
 * @param firstSeq the seq of the oldest message the store still holds of that epoch (one past the
 *     room's latest when it holds none), where paging stops
 * @param more whether messages older than the page's first are still held
 */
public record HistoryPage(String epoch, long firstSeq, List<String> frames, boolean more) {}
