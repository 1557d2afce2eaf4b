-- A page of the room's log for a member scrolling back: up to limit messages with a seq below before, oldest
-- first. A room Redis does not hold (expired, or lost) starts a new epoch at seq 0, as in history.lua, so that
-- the page names the epoch every instance goes on with.
-- KEYS: meta, log. ARGV: before, limit, room TTL (s), epoch if the room is new.
-- Returns {epoch, seq, seq of the oldest message held (seq + 1 if none), {frames}}.
if redis.call('HSETNX', KEYS[1], 'epoch', ARGV[4]) == 1 then
  redis.call('HSET', KEYS[1], 'seq', 0)
  redis.call('DEL', KEYS[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
local first = seq + 1
local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
if #oldest > 0 then
  first = tonumber(string.match(oldest[1][1], '^%d+'))
end
local frames = {}
if tonumber(ARGV[1]) > first then
  local newest = redis.call('XREVRANGE', KEYS[2], '(' .. ARGV[1] .. '-0', '-', 'COUNT', ARGV[2])
  for i = #newest, 1, -1 do
    frames[#frames + 1] = newest[i][2][2]
  end
end
return {epoch, string.format('%d', seq), string.format('%d', first), frames}
