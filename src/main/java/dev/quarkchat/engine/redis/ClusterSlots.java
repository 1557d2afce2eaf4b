package dev.quarkchat.engine.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which shard holds a key: Redis hashes every key (or the part of it in braces, its hash tag) to
 * one of 16384 slots, and each shard's primary serves some ranges of slots. A shard is named by its
 * first range ({@code 0-5460}): the name stays when a replica takes over, and there are never more
 * names than shards. A single Redis is one shard that serves every slot. This class does no I/O.
 */
final class ClusterSlots {

    /** How many slots Redis Cluster has. */
    static final int SLOTS = 16384;

    /** A range of slots, both ends included, and the address of the primary that serves it. */
    record Range(int first, int last, String primary) {

        Range {
            if (first < 0 || last >= SLOTS || first > last) {
                throw new IllegalArgumentException(
                        "not a range of slots: " + first + "-" + last + " at " + primary);
            }
        }
    }

    /** A shard: the name of its first range, and its primary's address. */
    record Shard(String name, String primary) {}

    private final Shard[] bySlot = new Shard[SLOTS];
    private final List<Shard> shards = new ArrayList<>();

    private ClusterSlots(List<Range> ranges) {
        Map<String, Shard> byPrimary = new LinkedHashMap<>();
        List<Range> ordered = new ArrayList<>(ranges);
        ordered.sort(Comparator.comparingInt(Range::first));
        for (Range range : ordered) {
            Shard shard =
                    byPrimary.computeIfAbsent(
                            range.primary(),
                            primary -> new Shard(range.first() + "-" + range.last(), primary));
            for (int slot = range.first(); slot <= range.last(); slot++) {
                if (bySlot[slot] != null) {
                    throw new IllegalArgumentException("slot " + slot + " is served twice");
                }
                bySlot[slot] = shard;
            }
        }
        shards.addAll(byPrimary.values());
    }

    /**
     * The shards of these ranges, as {@code CLUSTER SLOTS} lists them; slots no range covers have
     * no shard (the cluster is incomplete) and keys there fail as unreachable.
     */
    static ClusterSlots of(List<Range> ranges) {
        return new ClusterSlots(ranges);
    }

    /** A single Redis: one shard that serves every slot. */
    static ClusterSlots single(String address) {
        return new ClusterSlots(List.of(new Range(0, SLOTS - 1, address)));
    }

    /** Every shard, in the order of their first slot. */
    List<Shard> shards() {
        return List.copyOf(shards);
    }

    /** The shard that holds the key, or null if no primary serves its slot. */
    Shard shardOf(String key) {
        return bySlot[slotOf(key)];
    }

    /** The slot of a key, as Redis computes it: CRC16 of its hash tag, or of the whole key. */
    static int slotOf(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        int to = bytes.length;
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                from = open + 1;
                to = close;
            }
        }
        return crc16(bytes, from, to) & (SLOTS - 1);
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** CRC16-CCITT (XMODEM): polynomial 0x1021, starting from zero, as Redis Cluster uses. */
    static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }
}
