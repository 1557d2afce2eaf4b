-- Every ban that applies at ARGV[1] (milliseconds), after deleting those that ended.
-- KEYS: bans, ends.
purge_ended(ARGV[1])
return redis.call('HVALS', KEYS[1])
