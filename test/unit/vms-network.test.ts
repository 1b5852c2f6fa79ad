import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { startAptProxy } from '../../lib/vms/apt-proxy.ts';
import { startRelay } from '../../lib/vms/apt-relay.ts';
import { inNamespace, isolationProblems, NETNS, type NetworkState } from '../../lib/vms/netns.ts';
import { freePort } from '../support/free-port.ts';

const BRIDGES = { management: 'wbvirmgmt0', cluster: 'wbvir56' };

// `ip` output as test:vms sees it with the VMs up (trimmed): the lab may be up in the root namespace.
const HEALTHY: NetworkState = {
  rootRoutes: `default via 192.0.2.1 dev eth0
192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
192.168.56.0/24 dev wbbr0 proto kernel scope link src 192.168.56.1
unreachable 192.168.56.0/24 metric 4000
local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1
`,
  rootLinks: `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT
4: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc pfifo_fast state UP mode DEFAULT
9: wbbr0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT
`,
  insideRoutes: `192.168.56.0/24 dev wbvir56 proto kernel scope link src 192.168.56.1
unreachable 192.168.56.0/24 metric 4000
192.168.121.0/24 dev wbvirmgmt0 proto kernel scope link src 192.168.121.1
local 192.168.56.1 dev wbvir56 table local proto kernel scope host src 192.168.56.1
broadcast 192.168.56.255 dev wbvir56 table local proto kernel scope link src 192.168.56.1
`,
  insideLinks: `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT
2: wbvirmgmt0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT
3: wbvir56: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT
4: vnet0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master wbvirmgmt0 state UNKNOWN
5: vnet1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master wbvir56 state UNKNOWN
`,
};

describe("the VMs' network namespace: isolated, with the safety route beside the cluster network", () => {
  it('accepts the healthy state: the safety route in both namespaces, coexisting with the bridge route inside', () => {
    assert.deepEqual(isolationProblems(HEALTHY, BRIDGES), []);
  });

  it('the root namespace must keep its safety route and see none of the VMs’ bridges', () => {
    const state = {
      ...HEALTHY,
      rootRoutes: HEALTHY.rootRoutes.replace('unreachable 192.168.56.0/24 metric 4000\n', ''),
      rootLinks: `${HEALTHY.rootLinks}12: wbvir56: <BROADCAST> mtu 1500\n`,
    };
    assert.deepEqual(isolationProblems(state, BRIDGES), [
      'the root namespace lost its safety route `unreachable 192.168.56.0/24 metric 4000`',
      'the bridge wbvir56 is in the root namespace',
    ]);
  });

  it('inside: no default route, no gateway, no other link, and the safety route present', () => {
    const state = {
      ...HEALTHY,
      insideRoutes: `default via 192.168.121.254 dev wbvirmgmt0\n10.0.0.0/8 via 192.168.121.2 dev wbvirmgmt0\n${HEALTHY.insideRoutes.replace('unreachable 192.168.56.0/24 metric 4000\n', '')}`,
      insideLinks: `${HEALTHY.insideLinks}6: veth0@if7: <BROADCAST> mtu 1500\n`,
    };
    assert.deepEqual(isolationProblems(state, BRIDGES), [
      "the VMs' namespace has no safety route `unreachable 192.168.56.0/24 metric 4000`",
      "the VMs' namespace has a default route: default via 192.168.121.254 dev wbvirmgmt0",
      "the VMs' namespace routes through a gateway: 10.0.0.0/8 via 192.168.121.2 dev wbvirmgmt0",
      "unexpected link veth0 in the VMs' namespace",
    ]);
  });

  it('the cluster network must have its own route inside', () => {
    const state = { ...HEALTHY, insideRoutes: 'unreachable 192.168.56.0/24 metric 4000\n' };
    assert.deepEqual(isolationProblems(state, BRIDGES), ["the VMs' namespace has no route for 192.168.56.0/24 on wbvir56"]);
  });

  it('commands run in the namespace, niced', () => {
    assert.deepEqual(inNamespace(['vagrant', 'up']), ['ip', 'netns', 'exec', NETNS, 'nice', '-n', '15', 'vagrant', 'up']);
  });
});

describe("the apt relay: from the VMs' side to the proxy's Unix socket", () => {
  let dir = '';
  let mirror: Server;
  let mirrorPort = 0;

  before(async () => {
    dir = await mkdtemp(`${tmpdir()}/wb-relay-`);
    mirror = createServer((req, res) => res.end(`mirror says ${req.method} ${req.url}`));
    mirrorPort = await freePort();
    await new Promise<void>((r) => mirror.listen(mirrorPort, '127.0.0.1', () => r()));
  });

  after(async () => {
    await new Promise((r) => mirror.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('carries apt requests to the proxy on its socket, which keeps its policy and its count', async () => {
    const proxy = await startAptProxy(`${dir}/proxy.sock`, 0, ['127.0.0.1']);
    const port = await freePort();
    const close = await startRelay('127.0.0.1', port, `${dir}/proxy.sock`);
    try {
      assert.equal(proxy.url, `unix:${dir}/proxy.sock`);
      const get = (path: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = request({ hostname: '127.0.0.1', port, path }, (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (d: string) => {
              body += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        });
      assert.deepEqual(await get(`http://127.0.0.1:${mirrorPort}/debian/x`), { status: 200, body: 'mirror says GET /debian/x' });
      assert.equal((await get('http://example.com/')).status, 403);
      assert.deepEqual(proxy.stats, { requests: 1, refused: 1, bytes: 'mirror says GET /debian/x'.length });
    } finally {
      await close();
      await proxy.close();
    }
  });
});
