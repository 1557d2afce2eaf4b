-- Where each user stopped reading each room, so that another device starts there. A room's epoch never changes
-- while its row lives, so the seq alone places the position; positions go with their room when retention
-- forgets it. Limits mirror the protocol's.
CREATE TABLE chat_read_position (
    room       text        NOT NULL REFERENCES chat_room (room) ON DELETE CASCADE,
    user_name  text        NOT NULL CHECK (char_length(user_name) BETWEEN 1 AND 256),
    seq        bigint      NOT NULL CHECK (seq >= 1),
    read_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room, user_name)
);
