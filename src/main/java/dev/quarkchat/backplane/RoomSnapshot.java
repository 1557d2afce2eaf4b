package dev.quarkchat.backplane;

import java.util.List;

/**
 * Where a room stood in Redis at one instant: its epoch, the seq of its latest message, who is in it
 * (cluster-wide, one entry per user), and the messages for the reader: those after its position if all are
 * still held ({@code recovered}), else the latest ones.
 */
public record RoomSnapshot(String epoch, long seq, List<String> members, List<String> frames, boolean recovered) {
}
