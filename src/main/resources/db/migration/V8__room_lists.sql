-- The rooms each user belongs to (joined and not left), for the room list it gets on connect; a direct
-- conversation names the other user (peer). Each user keeps the rooms it joined most recently: the service deletes
-- the others as it adds. Limits mirror the protocol's.
CREATE TABLE chat_membership (
    user_name  text        NOT NULL CHECK (char_length(user_name) BETWEEN 1 AND 256),
    room       text        NOT NULL CHECK (char_length(room) BETWEEN 1 AND 64),
    peer       text        CHECK (char_length(peer) BETWEEN 1 AND 256),
    joined_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_name, room)
);
