package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.protocol.RoomName;

import org.junit.jupiter.api.Test;

/** The room of two users' conversation: one per pair, whoever opens it, and a valid room name. */
class DirectRoomsTest {

    @Test
    void bothUsersGetTheSameRoomAndNoOtherPairDoes() {
        String room = DirectRooms.nameOf("ann", "bob");

        assertThat(DirectRooms.nameOf("bob", "ann")).isEqualTo(room);
        assertThat(DirectRooms.nameOf("ann", "bobby")).isNotEqualTo(room);
        assertThat(DirectRooms.nameOf("an", "nbob")).isNotEqualTo(room);
        assertThat(DirectRooms.nameOf("Zoë Ålund", "李雷")).isNotEqualTo(room);
    }

    @Test
    void itsNameIsAValidRoomNameThatMarksItDirect() {
        String room = DirectRooms.nameOf("Zoë Ålund", "李雷");

        assertThat(RoomName.isValid(room)).isTrue();
        assertThat(DirectRooms.isDirect(room)).isTrue();
        assertThat(DirectRooms.isDirect("lobby")).isFalse();
    }
}
