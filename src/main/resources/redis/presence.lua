-- Presence entries are '<user>\0<instance>'. Instance ids hold no '\0', so the user is everything before the
-- last one, whatever the length of the instance id.
local function user_of(entry)
  return string.match(entry, '^(.*)%z')
end
local function remove(who, alive, users, channel, room, entry)
  redis.call('ZREM', alive, entry)
  if redis.call('ZREM', who, entry) == 1 then
    local user = user_of(entry)
    if redis.call('HINCRBY', users, user, -1) <= 0 then
      redis.call('HDEL', users, user)
      redis.call(PUBLISH, channel, 'L ' .. room .. ' ' .. user)
    end
  end
end
local function sweep(who, alive, users, channel, room, now)
  for _, entry in ipairs(redis.call('ZRANGEBYSCORE', alive, '-inf', now)) do
    remove(who, alive, users, channel, room, entry)
  end
end
local function add(who, alive, users, channel, room, user, instance, connection, expires, ttl)
  local entry = user .. '\0' .. instance
  local added = redis.call('ZADD', who, 0, entry)
  if added == 1 then
    redis.call('HINCRBY', users, user, 1)
  end
  redis.call('ZADD', alive, expires, entry)
  redis.call('EXPIRE', who, ttl)
  redis.call('EXPIRE', alive, ttl)
  redis.call('EXPIRE', users, ttl)
  if added == 1 or connection ~= '-' then
    redis.call(PUBLISH, channel, 'J ' .. room .. ' ' .. connection .. ' ' .. user)
  end
end
