-- Moves a user's read position in a room forward: to a later seq of the same epoch, or to any seq of another
-- epoch (the room started over). The position expires a room TTL after it last moved, as the room itself does.
-- KEYS: read (the user's, in the room). ARGV: epoch, seq, room TTL (s).
-- Returns 1 if it moved, else 0.
local kept = redis.call('GET', KEYS[1])
if kept then
  local epoch, seq = string.match(kept, '^(%S+) (%d+)$')
  if epoch == ARGV[1] and tonumber(seq) >= tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2], 'EX', ARGV[3])
return 1
