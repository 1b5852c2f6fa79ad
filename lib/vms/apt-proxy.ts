import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';

/**
 * The VMs' only way out: an HTTP proxy on the host side of their isolated management network
 * that forwards apt's requests to Debian's mirror and to nothing else (no CONNECT tunnels,
 * only GET and HEAD, only the allowed host names).
 */
export interface AptProxy {
  server: Server;
  url: string;
  stats: { requests: number; refused: number; bytes: number };
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade']);

/**
 * Listens on `address:port`, or on a Unix socket when `address` is an absolute path (then
 * `port` is ignored): test:vms runs the proxy in the root namespace, where Debian's mirror is
 * reachable, on a socket, and a relay in the VMs' namespace forwards to it (lib/vms/apt-relay.ts).
 */
export function startAptProxy(address: string, port: number, allowedHosts: readonly string[]): Promise<AptProxy> {
  const allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  const stats = { requests: 0, refused: 0, bytes: 0 };
  const refuse = (res: ServerResponse, code: number, why: string) => {
    stats.refused++;
    res.writeHead(code, { 'content-type': 'text/plain' }).end(`${why}\n`);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      return refuse(res, 400, 'absolute http:// URLs only (this is a proxy)');
    }
    if (url.protocol !== 'http:' || !allowed.has(url.hostname.toLowerCase()))
      return refuse(res, 403, `not a Debian mirror: ${url.host}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'GET and HEAD only');
    stats.requests++;
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())));
    const upstream = request(
      { hostname: url.hostname, port: url.port || 80, path: `${url.pathname}${url.search}`, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('data', (chunk: Buffer) => {
          stats.bytes += chunk.length;
        });
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) refuse(res, 502, `mirror unreachable: ${error.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  });
  server.on('connect', (_req, socket) => {
    stats.refused++;
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  const done = (resolve: (p: AptProxy) => void) => () =>
    resolve({
      server,
      url: address.startsWith('/') ? `unix:${address}` : `http://${address}:${port}`,
      stats,
      close: () =>
        new Promise<void>((closed) => {
          server.close(() => closed());
          server.closeAllConnections();
        }),
    });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    if (address.startsWith('/')) server.listen(address, done(resolve));
    else server.listen(port, address, done(resolve));
  });
}
