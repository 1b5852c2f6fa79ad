import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { type AptProxy, startAptProxy } from '../../lib/vms/apt-proxy.ts';
import { freePort } from '../support/free-port.ts';

/** GET through the proxy, as apt does (absolute URL in the request line). */
function viaProxy(proxy: AptProxy, url: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path: url }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe("the VMs' apt proxy (loopback only here)", () => {
  let mirror: Server;
  let mirrorPort = 0;
  let proxy: AptProxy;

  before(async () => {
    mirror = createServer((req, res) => res.end(`mirror says ${req.method} ${req.url}`));
    mirrorPort = await freePort();
    await new Promise<void>((r) => mirror.listen(mirrorPort, '127.0.0.1', () => r()));
    proxy = await startAptProxy('127.0.0.1', await freePort(), ['127.0.0.1']);
  });

  after(async () => {
    await proxy.close();
    await new Promise((r) => mirror.close(r));
  });

  it('forwards GET to the allowed mirror', async () => {
    const answer = await viaProxy(proxy, `http://127.0.0.1:${mirrorPort}/debian/dists/bookworm/InRelease`);
    assert.deepEqual(answer, { status: 200, body: 'mirror says GET /debian/dists/bookworm/InRelease' });
    assert.equal(proxy.stats.requests, 1);
  });

  it('refuses any other host, any other method, and requests that are not proxy requests', async () => {
    assert.equal((await viaProxy(proxy, 'http://example.com/')).status, 403);
    assert.equal((await viaProxy(proxy, `http://127.0.0.1:${mirrorPort}/x`, 'POST')).status, 405);
    assert.equal((await viaProxy(proxy, '/not-a-proxy-request')).status, 400);
  });

  it('refuses CONNECT tunnels', async () => {
    const { hostname, port } = new URL(proxy.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 403/);
  });
});
