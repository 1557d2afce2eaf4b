-- Emoji reactions. A message keeps its reactions in reactions: a JSON object of each emoji to the users who reacted
-- with it, in the order they came, exactly as the service writes it (json keeps the text as given). Each change
-- takes its own position in the room's sequence, as a row of kind 'reaction' about the message (target), so that
-- recovery replays it like a message: sender is who reacted, body the emoji, reaction_on whether it was added or
-- taken back. A deletion drops the message's reactions with its text.
ALTER TABLE chat_message
    ADD COLUMN reactions   json,
    ADD COLUMN reaction_on boolean,
    DROP CONSTRAINT chat_message_kind_check,
    DROP CONSTRAINT chat_message_shape,
    ADD CONSTRAINT chat_message_kind_check CHECK (kind IN ('message', 'edited', 'deleted', 'reaction')),
    ADD CONSTRAINT chat_message_shape CHECK (
        (kind = 'message' AND target IS NULL AND (body IS NULL) = deleted AND reaction_on IS NULL
            AND (reactions IS NULL OR NOT deleted))
        OR (kind = 'edited' AND target < seq AND body IS NOT NULL AND edited_at IS NOT NULL
            AND reactions IS NULL AND reaction_on IS NULL)
        OR (kind = 'deleted' AND target < seq AND body IS NULL AND reactions IS NULL AND reaction_on IS NULL)
        OR (kind = 'reaction' AND target < seq AND body IS NOT NULL AND reaction_on IS NOT NULL
            AND reactions IS NULL));

-- Sets the reactions of message target_seq of a room to new_reactions (NULL: none) and appends the reaction event
-- with the room's next seq, unless the message's reactions are no longer as the caller read them (read_reactions)
-- in the epoch it read, or it was deleted: then it returns NULL and changes nothing, and the caller reads again.
-- The room's row is locked as chat_append locks it. Returns the event's seq.
CREATE FUNCTION chat_react(
    target_room text, read_epoch text, target_seq bigint, read_reactions text, new_reactions text,
    reactor text, emoji text, adding boolean, changed_at timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    event_seq bigint;
BEGIN
    PERFORM 1 FROM chat_room r WHERE r.room = target_room AND r.epoch = read_epoch FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE chat_message m SET reactions = new_reactions::json
    WHERE m.room = target_room AND m.seq = target_seq AND m.kind = 'message' AND NOT m.deleted
      AND m.reactions::text IS NOT DISTINCT FROM read_reactions;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE chat_room r SET last_seq = r.last_seq + 1, active_at = now()
    WHERE r.room = target_room
    RETURNING r.last_seq INTO event_seq;
    INSERT INTO chat_message (room, seq, sender, body, sent_at, kind, target, reaction_on)
    VALUES (target_room, event_seq, reactor, emoji, changed_at, 'reaction', target_seq, adding);
    RETURN event_seq;
END
$$;

-- chat_amend as V4's, but a deletion drops the message's reactions with its text.
CREATE OR REPLACE FUNCTION chat_amend(
    target_room text, read_epoch text, target_seq bigint, read_body text, read_edited_at timestamptz,
    new_body text, changed_at timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    author text;
    event_seq bigint;
BEGIN
    PERFORM 1 FROM chat_room r WHERE r.room = target_room AND r.epoch = read_epoch FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE chat_message m
    SET body = new_body, edited_at = CASE WHEN new_body IS NULL THEN NULL ELSE changed_at END,
        deleted = new_body IS NULL,
        reactions = CASE WHEN new_body IS NULL THEN NULL ELSE m.reactions END
    WHERE m.room = target_room AND m.seq = target_seq AND m.kind = 'message' AND NOT m.deleted
      AND m.body IS NOT DISTINCT FROM read_body AND m.edited_at IS NOT DISTINCT FROM read_edited_at
    RETURNING m.sender INTO author;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF new_body IS NULL THEN
        UPDATE chat_message m SET kind = 'deleted', body = NULL, edited_at = NULL
        WHERE m.room = target_room AND m.target = target_seq AND m.kind = 'edited';
    END IF;
    UPDATE chat_room r SET last_seq = r.last_seq + 1, active_at = now()
    WHERE r.room = target_room
    RETURNING r.last_seq INTO event_seq;
    INSERT INTO chat_message (room, seq, sender, body, sent_at, kind, target, edited_at)
    VALUES (target_room, event_seq, author, new_body, changed_at,
            CASE WHEN new_body IS NULL THEN 'deleted' ELSE 'edited' END, target_seq,
            CASE WHEN new_body IS NULL THEN NULL ELSE changed_at END);
    RETURN event_seq;
END
$$;
