// Socket.IO 4 baseline for the Pushgate benchmark harness (bench/run.sh starts it).
// Clients speak Engine.IO v4 over a WebSocket (/socket.io/?EIO=4&transport=websocket).
// Events:  "sub" [rooms...] (ack)  joins rooms;  "all" data  broadcasts "msg" to every socket;
//          "pub" room, data  emits "msg" to one room;  "set" room, data (ack)  the same, acknowledged. Broadcasts go through the Redis adapter,
// as they would with several Socket.IO nodes.
'use strict';
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

const port = Number(process.env.PORT || 0);
const redisUrl = process.env.REDIS_URL;
if (!port || !redisUrl) {
  console.error('usage: PORT=<port> REDIS_URL=redis://127.0.0.1:<port> node server.js');
  process.exit(2);
}

async function main() {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  pub.on('error', (e) => console.error('redis pub:', e.message));
  sub.on('error', (e) => console.error('redis sub:', e.message));
  await Promise.all([pub.connect(), sub.connect()]);

  const io = new Server({
    adapter: createAdapter(pub, sub),
    serveClient: false,
    transports: ['websocket'],
    perMessageDeflate: false,
    maxHttpBufferSize: 1e6,
  });
  io.on('connection', (socket) => {
    socket.on('sub', (rooms, ack) => {
      socket.join(rooms);
      if (typeof ack === 'function') ack(true);
    });
    socket.on('all', (data) => io.emit('msg', data));
    socket.on('pub', (room, data) => io.to(room).emit('msg', data));
    // the ingest scenario: emitted to the room, then acknowledged
    socket.on('set', (room, data, ack) => {
      io.to(room).emit('msg', data);
      if (typeof ack === 'function') ack();
    });
  });
  io.listen(port);
  console.log(`socket.io listening on ${port} (redis adapter on ${redisUrl})`);

  const stop = () => { io.close(); pub.quit().catch(() => {}); sub.quit().catch(() => {}); setTimeout(() => process.exit(0), 200); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
