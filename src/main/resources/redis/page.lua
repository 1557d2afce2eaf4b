-- A page of the room's log for a member scrolling back: up to limit messages with a seq below before, oldest
-- first. The room may start a new epoch at seq 0 (room-epoch.lua), as in history.lua, so that the page names the
-- epoch every instance goes on with.
-- KEYS: meta, log. ARGV: before, limit, room TTL (s), epoch if the room starts one.
-- Returns {epoch, seq, seq of the oldest message held (seq + 1 if none), {frames}}.
local epoch, started = room_epoch(KEYS[1], KEYS[2], ARGV[4])
if started then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
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
