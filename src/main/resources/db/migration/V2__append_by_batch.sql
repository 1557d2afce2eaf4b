-- chat_append with the same answers as before, but a few statements for the whole batch instead of a few for
-- each send: a busy store commits batches of many messages, and their cost should barely grow with the size.
CREATE OR REPLACE FUNCTION chat_append(
    rooms text[], senders text[], bodies text[], sent timestamptz[], client_ids text[], new_epochs text[])
RETURNS TABLE (room_epoch text, message_seq bigint, posted boolean, posted_at timestamptz, posted_body text)
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO chat_room (room, epoch)
    SELECT DISTINCT ON (given.room) given.room, given.epoch
    FROM unnest(rooms, new_epochs) AS given (room, epoch)
    ORDER BY given.room
    ON CONFLICT (room) DO NOTHING;

    PERFORM 1 FROM chat_room r WHERE r.room = ANY (rooms) ORDER BY r.room FOR UPDATE;

    RETURN QUERY
    WITH given AS (
        -- A send repeating an id of its sender and room earlier in the batch is a resend of that first one.
        SELECT g.room, g.sender, g.body, g.sent_at, g.client_id, g.ord,
               CASE WHEN g.client_id IS NULL THEN g.ord
                    ELSE min(g.ord) OVER (PARTITION BY g.room, g.sender, g.client_id) END AS first_ord
        FROM unnest(rooms, senders, bodies, sent, client_ids)
            WITH ORDINALITY AS g (room, sender, body, sent_at, client_id, ord)
    ),
    earlier AS (
        -- First sends whose id an earlier batch posted.
        SELECT g.ord, m.seq, m.sent_at, m.body
        FROM given g
        JOIN chat_message m ON m.room = g.room AND m.sender = g.sender AND m.client_id = g.client_id
        WHERE g.ord = g.first_ord AND m.client_id IS NOT NULL
    ),
    fresh AS (
        SELECT g.room, g.sender, g.body, g.sent_at, g.client_id, g.ord,
               row_number() OVER (PARTITION BY g.room ORDER BY g.ord) AS nth
        FROM given g
        WHERE g.ord = g.first_ord AND NOT EXISTS (SELECT 1 FROM earlier e WHERE e.ord = g.ord)
    ),
    advanced AS (
        UPDATE chat_room r SET last_seq = r.last_seq + counted.sends, active_at = now()
        FROM (SELECT f.room, count(*) AS sends FROM fresh f GROUP BY f.room) counted
        WHERE r.room = counted.room
        RETURNING r.room, r.last_seq - counted.sends AS seq_before
    ),
    placed AS (
        SELECT f.*, a.seq_before + f.nth AS seq
        FROM fresh f JOIN advanced a ON a.room = f.room
    ),
    inserted AS (
        INSERT INTO chat_message (room, seq, sender, body, sent_at, client_id)
        SELECT p.room, p.seq, p.sender, p.body, p.sent_at, p.client_id FROM placed p
    )
    SELECT r.epoch,
           coalesce(e.seq, p.seq),
           g.ord = g.first_ord AND e.ord IS NULL,
           coalesce(e.sent_at, p.sent_at),
           CASE WHEN g.ord = g.first_ord AND e.ord IS NULL THEN NULL ELSE coalesce(e.body, p.body) END
    FROM given g
    JOIN chat_room r ON r.room = g.room
    LEFT JOIN earlier e ON e.ord = g.first_ord
    LEFT JOIN placed p ON p.ord = g.first_ord
    ORDER BY g.ord;
END
$$;
