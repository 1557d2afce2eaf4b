-- Publishes that a user is typing, unless the user's last typing event in the room, from any instance, is
-- less than an interval old: whatever its clients send, the others hear of it at most once an interval.
-- KEYS: typing (the user's, in the room). ARGV: channel, event, interval in milliseconds.
if redis.call('SET', KEYS[1], '', 'PX', ARGV[3], 'NX') then
  return redis.call(PUBLISH, ARGV[1], ARGV[2])
end
return 0
