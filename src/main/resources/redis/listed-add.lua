-- Puts a room at the top of a user's list (with the other user of a direct conversation), keeping at most a number
-- of rooms: those joined least recently go. The list expires a room TTL after it last changed, as rooms do.
-- KEYS: rooms (sorted set: room by when joined, ms), peers (hash: direct conversation to the other user).
-- ARGV: room, peer or '', most rooms, room TTL (s).
-- Returns 1 if the room was not listed before, else 0.
local added = redis.call('ZADD', KEYS[1], string.format('%d', now_ms()), ARGV[1])
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
if over > 0 then
  local dropped = redis.call('ZPOPMIN', KEYS[1], over)
  for i = 1, #dropped, 2 do
    redis.call('HDEL', KEYS[2], dropped[i])
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return added
