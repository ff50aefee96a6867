-- Publishes ARGV[1] on the channel KEYS[1] (a replica's command channel). A script, so that on a
-- Redis Cluster the call is routed to the channel's slot; SPUBLISH there (LuaScript.forLayout).
return redis.call('PUBLISH', KEYS[1], ARGV[1])
