import { createServer } from 'node:net';

/** A TCP port that nothing listens on right now, on this loopback address. */
export function freePort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const info = server.address();
      server.close(() => (typeof info === 'object' && info ? resolve(info.port) : reject(new Error('no port'))));
    });
  });
}
