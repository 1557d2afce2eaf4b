package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

class ClusterSlotsTest {

    @Test
    void theChecksumIsRedisOwn() {
        byte[] check = "123456789".getBytes(StandardCharsets.UTF_8);
        assertThat(ClusterSlots.crc16(check, 0, check.length)).isEqualTo(0x31C3);
    }

    @Test
    void keysHashAsRedisClusterHashesThem() {
        // Slots as CLUSTER KEYSLOT answers them.
        assertThat(ClusterSlots.slotOf("foo")).isEqualTo(12182);
        assertThat(ClusterSlots.slotOf("bar")).isEqualTo(5061);
        assertThat(ClusterSlots.slotOf("foo{bar}{zap}")).isEqualTo(5061);
        assertThat(ClusterSlots.slotOf("{user1000}.following"))
                .isEqualTo(ClusterSlots.slotOf("{user1000}.followers"));
    }

    @Test
    void anEmptyOrUnclosedBraceIsNoHashTag() {
        assertThat(ClusterSlots.slotOf("foo{}{bar}"))
                .isEqualTo(crcSlot("foo{}{bar}"))
                .isNotEqualTo(ClusterSlots.slotOf("bar"));
        assertThat(ClusterSlots.slotOf("foo{bar")).isEqualTo(crcSlot("foo{bar"));
        assertThat(ClusterSlots.slotOf("foo{{bar}}zap")).isEqualTo(crcSlot("{bar"));
    }

    @Test
    void aRoomsKeysAndChannelShareItsSlot() {
        assertThat(ClusterSlots.slotOf("quarkchat:{kitchen}:meta"))
                .isEqualTo(ClusterSlots.slotOf("quarkchat:{kitchen}:events"))
                .isEqualTo(ClusterSlots.slotOf("kitchen"));
    }

    @Test
    void aShardIsNamedByItsFirstRangeAndServesAllItsRanges() {
        ClusterSlots slots =
                ClusterSlots.of(
                        List.of(
                                new ClusterSlots.Range(10923, 16383, "10.0.0.3:6379"),
                                new ClusterSlots.Range(100, 5460, "10.0.0.1:6379"),
                                new ClusterSlots.Range(5461, 10922, "10.0.0.2:6379"),
                                new ClusterSlots.Range(0, 99, "10.0.0.2:6379")));
        assertThat(slots.shards())
                .extracting(ClusterSlots.Shard::name)
                .containsExactly("0-99", "100-5460", "10923-16383");
        assertThat(slots.shardOf("foo").primary()).isEqualTo("10.0.0.3:6379");
        assertThat(slots.shardOf("bar").primary()).isEqualTo("10.0.0.1:6379");
        assertThat(slots.shardOf("{bl}:meta").name()).isEqualTo("0-99");
    }

    @Test
    void aSlotNoPrimaryServesHasNoShard() {
        ClusterSlots slots =
                ClusterSlots.of(List.of(new ClusterSlots.Range(0, 5460, "10.0.0.1:6379")));
        assertThat(slots.shardOf("bar")).isNotNull();
        assertThat(slots.shardOf("foo")).isNull();
    }

    @Test
    void aSlotServedTwiceIsRefused() {
        assertThatThrownBy(
                        () ->
                                ClusterSlots.of(
                                        List.of(
                                                new ClusterSlots.Range(0, 10, "a:1"),
                                                new ClusterSlots.Range(10, 20, "b:1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slot 10");
    }

    @Test
    void aSingleRedisServesEverySlot() {
        ClusterSlots single = ClusterSlots.single("redis://localhost:6379");
        assertThat(single.shards()).extracting(ClusterSlots.Shard::name).containsExactly("0-16383");
        assertThat(single.shardOf("anything")).isEqualTo(single.shards().get(0));
    }

    private static int crcSlot(String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        return ClusterSlots.crc16(bytes, 0, bytes.length) & (ClusterSlots.SLOTS - 1);
    }
}
