-- Stores (ARGV[5] non-empty) or removes (ARGV[5] empty) one field of a hash of definitions
-- (views, roles, principals' overrides) and publishes the change on the changes channel,
-- atomically, so that every replica sees the definitions change in one order.
-- KEYS[1] the hash; ARGV: 1 changes channel, 2 kind letter when set, 3 kind letter when removed,
--                         4 field (the name), 5 value or ''
-- Returns 1 when the field is new (set) or existed (removed), else 0.
if ARGV[5] == '' then
  if redis.call('HDEL', KEYS[1], ARGV[4]) == 1 then
    redis.call('PUBLISH', ARGV[1], ARGV[3] .. '\n' .. ARGV[4])
    return 1
  end
  return 0
end
local created = redis.call('HSET', KEYS[1], ARGV[4], ARGV[5])
redis.call('PUBLISH', ARGV[1], ARGV[2] .. '\n' .. ARGV[4] .. '\n' .. ARGV[5])
return created
