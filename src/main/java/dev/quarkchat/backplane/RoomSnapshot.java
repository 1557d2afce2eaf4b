package dev.quarkchat.backplane;

import java.util.List;

/**
 * Where a room stood in Redis at one instant: its epoch, the seq of its latest message, how many users are
 * in it on any instance and the first of their names (by name), and the messages for the reader: those
 * after its position if all are still held ({@code recovered}), else the latest ones.
 */
public record RoomSnapshot(String epoch, long seq, List<String> members, int memberCount, List<String> frames,
        boolean recovered) {
}
