// The floor under gearsd's unpipelined throughput: a bare Node TCP server on the same
// runtime, net module and event loop gearsd uses, that parses nothing and answers every
// chunk it reads with +PONG. Under `redis-benchmark -t ping -c 50` each chunk is one
// request, so its requests/s is what Node itself can do per request on this machine;
// gearsd cannot be faster than this unpipelined. Run as a child process by the commands suite:
//   node dist/benchmarks/node-floor.js PORT
import net from 'node:net';

const PONG = Buffer.from('+PONG\r\n');
const port = Number(process.argv[2]);
net
  .createServer((sock) => {
    sock.setNoDelay(true);
    sock.on('data', () => sock.write(PONG));
    sock.on('error', () => sock.destroy());
  })
  .listen(port, '127.0.0.1', () => process.send?.('ready'));
