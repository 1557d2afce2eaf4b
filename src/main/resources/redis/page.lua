-- A page of the room's log for a member scrolling back: up to limit messages with a seq below before, oldest
-- first. Reads only: a room Redis does not hold has no page.
-- KEYS: meta, log. ARGV: before, limit.
-- Returns {epoch or '', seq, seq of the oldest message held (seq + 1 if none), {frames}}.
local epoch = redis.call('HGET', KEYS[1], 'epoch') or ''
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
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
