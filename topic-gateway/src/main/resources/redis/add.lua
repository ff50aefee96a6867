-- Adds a topic if it is not there, and publishes the addition, atomically.
-- KEYS[1] the topic's hash, KEYS[2] the index of its shard's topics (a set of paths)
-- ARGV: 1 changes channel, 2 path, 3 spec (canonical JSON), 4 value type, 5 retain flag
-- Returns 1 when created, 0 when it existed with the same spec; CONFLICT otherwise.
local spec = redis.call('HGET', KEYS[1], 'spec')
if spec then
  if spec == ARGV[3] then
    return 0
  end
  return redis.error_reply('CONFLICT ' .. ARGV[2] .. ' exists with another spec: ' .. spec)
end
redis.call('HSET', KEYS[1], 'spec', ARGV[3], 'type', ARGV[4], 'retain', ARGV[5], 'seq', 0)
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('PUBLISH', ARGV[1], 'A\n' .. ARGV[2] .. '\n' .. ARGV[3])
return 1
