-- Gives a message the room's next seq, keeps it in the capped log and publishes it. With a message id, the
-- user's ids in the room are looked up first, in the same step: an id posted in this epoch within the window
-- is not posted again, and what it was posted as is returned instead; else the id is remembered, the user's
-- oldest forgotten past the cap.
-- KEYS: meta, log, and with an id the user's ids (hash: id to 'epoch seq ts digest') and id-ages (sorted set:
-- id by when it was posted, ms).
-- ARGV: channel, room, room TTL (s), epoch if the room starts one (room-epoch.lua), history size, frame before the seq, frame after
-- the seq, id or '', text digest, ts (ms), window (ms), most ids of the user.
-- Returns {epoch, seq}; for an id already posted, {epoch, seq, ts, digest} of that post.
local epoch = room_epoch(KEYS[1], KEYS[2], ARGV[4])
local id = ARGV[8]
local now
if id ~= '' then
  now = string.format('%d', now_ms())
  local expired = string.format('%d', tonumber(now) - tonumber(ARGV[11]))
  for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', expired)) do
    redis.call('HDEL', KEYS[3], old)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', expired)
  local earlier = redis.call('HGET', KEYS[3], id)
  if earlier then
    local posted = {}
    for field in string.gmatch(earlier, '%S+') do
      posted[#posted + 1] = field
    end
    if posted[1] == epoch then
      return posted
    end
  end
end
local seq = string.format('%d', redis.call('HINCRBY', KEYS[1], 'seq', 1))
local frame = ARGV[6] .. seq .. ARGV[7]
if tonumber(ARGV[5]) > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[5], seq .. '-0', 'f', frame)
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call(PUBLISH, ARGV[1], 'M ' .. ARGV[2] .. ' ' .. epoch .. ' ' .. seq .. ' ' .. frame)
if id ~= '' then
  redis.call('HSET', KEYS[3], id, epoch .. ' ' .. seq .. ' ' .. ARGV[10] .. ' ' .. ARGV[9])
  redis.call('ZADD', KEYS[4], now, id)
  local over = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[12])
  if over > 0 then
    local oldest = redis.call('ZPOPMIN', KEYS[4], over)
    for i = 1, #oldest, 2 do
      redis.call('HDEL', KEYS[3], oldest[i])
    end
  end
  redis.call('PEXPIRE', KEYS[3], ARGV[11])
  redis.call('PEXPIRE', KEYS[4], ARGV[11])
end
return {epoch, seq}
