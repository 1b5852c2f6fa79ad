import { createServer, connect as netConnect, type Socket } from 'node:net';

/**
 * The relay in the VMs' network namespace: a TCP listener on the management network's host
 * address that passes each connection, byte for byte, to the apt proxy's Unix socket in the
 * root namespace (a socket file is reachable from every network namespace). It opens no
 * connection of its own to any address: all policy (Debian's mirror only) is the proxy's.
 *
 *   ip netns exec wbvms node --import tsx lib/vms/apt-relay.ts ADDRESS PORT SOCKET
 */
export function startRelay(address: string, port: number, socketPath: string): Promise<() => Promise<void>> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = netConnect(socketPath);
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () =>
      resolve(
        () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of open) socket.destroy();
          }),
      ),
    );
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [address, port, socketPath] = process.argv.slice(2);
  if (!address || !/^\d+$/.test(port ?? '') || !socketPath?.startsWith('/')) {
    console.error('usage: apt-relay.ts ADDRESS PORT /path/to/proxy.sock');
    process.exit(2);
  }
  const close = await startRelay(address, Number(port), socketPath);
  console.log(`apt relay: ${address}:${port} -> ${socketPath}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => close().then(() => process.exit(0)));
}
