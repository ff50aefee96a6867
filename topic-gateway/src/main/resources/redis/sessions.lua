-- The session directory of one replica (RedisSessionDirectory): its sessions in one hash that
-- expires unless renewed, and its id in the set of replicas. Both keys carry one hash tag.
-- KEYS[1] the replica's hash (session id -> entry JSON), KEYS[2] the sorted set of replicas
-- ARGV[1] ttl in ms, ARGV[2] the replica id, ARGV[3] its score (the caller's clock + ttl),
-- ARGV[4] n, then n pairs (session id, entry JSON) to set, then the session ids to delete.
-- Returns 1 if the hash existed before this call, 0 if it had expired (or never was).
local existed = redis.call('EXISTS', KEYS[1])
local n = tonumber(ARGV[4])
local i = 5
if n > 0 then
  local args = {}
  for j = 1, n do
    args[#args + 1] = ARGV[i]
    args[#args + 1] = ARGV[i + 1]
    i = i + 2
  end
  redis.call('HSET', KEYS[1], unpack(args))
end
if i <= #ARGV then
  local fields = {}
  for j = i, #ARGV do
    fields[#fields + 1] = ARGV[j]
  end
  redis.call('HDEL', KEYS[1], unpack(fields))
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
-- Replicas whose entries expired long ago (two ttls past their last renewal) leave the set.
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(ARGV[3]) - 3 * tonumber(ARGV[1])))
return existed
