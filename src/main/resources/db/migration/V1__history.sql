-- The durable history of chat.history.store=postgres: every room's sequence, and its messages until retention.
-- Limits mirror the protocol's, so that a row the service could not have written is refused here too.

-- One row per room: where its sequence stands. The epoch is set when the room is first seen and never changes,
-- so that a client's position stays valid across every restart; last_seq only grows. Messages below first_seq
-- were removed by retention (first_seq = last_seq + 1 when none is held).
CREATE TABLE chat_room (
    room       text        PRIMARY KEY CHECK (char_length(room) BETWEEN 1 AND 64),
    epoch      text        NOT NULL CHECK (char_length(epoch) BETWEEN 1 AND 32),
    last_seq   bigint      NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    first_seq  bigint      NOT NULL DEFAULT 1 CHECK (first_seq BETWEEN 1 AND last_seq + 1),
    active_at  timestamptz NOT NULL DEFAULT now()
);

-- The fields of a message frame: room, seq, from (sender), text (body), ts (sent_at) and the sender's id.
CREATE TABLE chat_message (
    room       text        NOT NULL REFERENCES chat_room (room),
    seq        bigint      NOT NULL CHECK (seq >= 1),
    sender     text        NOT NULL CHECK (char_length(sender) BETWEEN 1 AND 256),
    body       text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 16000),
    sent_at    timestamptz NOT NULL,
    client_id  text        CHECK (char_length(client_id) BETWEEN 1 AND 64),
    PRIMARY KEY (room, seq)
);

-- A send's id is posted once per sender and room, for as long as its message is kept: a resend finds it.
CREATE UNIQUE INDEX chat_message_client_id ON chat_message (room, sender, client_id) WHERE client_id IS NOT NULL;

-- Retention by age walks messages oldest first.
CREATE INDEX chat_message_sent_at ON chat_message (sent_at);

-- Appends a batch of sends in one statement (group commit). Each send gets its room's next seq, in the order
-- given, unless its sender already posted its client id in the room: then that message is answered instead
-- and nothing is posted. The batch's rooms are created if new (with the epochs given) and locked in name order,
-- so that the batches of several instances wait for each other rather than deadlock.
-- Returns one row per send, in order: the room's epoch, the seq, whether it was posted now, and for an earlier
-- post its time and text (to tell a resend from another text under the same id).
CREATE FUNCTION chat_append(
    rooms text[], senders text[], bodies text[], sent timestamptz[], client_ids text[], new_epochs text[])
RETURNS TABLE (room_epoch text, message_seq bigint, posted boolean, posted_at timestamptz, posted_body text)
LANGUAGE plpgsql AS $$
DECLARE
    i integer;
    earlier record;
BEGIN
    INSERT INTO chat_room (room, epoch)
    SELECT DISTINCT ON (given.room) given.room, given.epoch
    FROM unnest(rooms, new_epochs) AS given (room, epoch)
    ORDER BY given.room
    ON CONFLICT (room) DO NOTHING;

    PERFORM 1 FROM chat_room r WHERE r.room = ANY (rooms) ORDER BY r.room FOR UPDATE;

    FOR i IN 1 .. coalesce(array_length(rooms, 1), 0) LOOP
        IF client_ids[i] IS NOT NULL THEN
            SELECT r.epoch, m.seq, m.sent_at, m.body INTO earlier
            FROM chat_message m JOIN chat_room r ON r.room = m.room
            WHERE m.room = rooms[i] AND m.sender = senders[i] AND m.client_id = client_ids[i];
            IF FOUND THEN
                room_epoch := earlier.epoch;
                message_seq := earlier.seq;
                posted := false;
                posted_at := earlier.sent_at;
                posted_body := earlier.body;
                RETURN NEXT;
                CONTINUE;
            END IF;
        END IF;
        UPDATE chat_room r SET last_seq = r.last_seq + 1, active_at = now()
        WHERE r.room = rooms[i]
        RETURNING r.epoch, r.last_seq INTO room_epoch, message_seq;
        INSERT INTO chat_message (room, seq, sender, body, sent_at, client_id)
        VALUES (rooms[i], message_seq, senders[i], bodies[i], sent[i], client_ids[i]);
        posted := true;
        posted_at := sent[i];
        posted_body := NULL;
        RETURN NEXT;
    END LOOP;
END
$$;
