import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ROOT } from '../../lib/paths.ts';
import { parseInventory } from '../../lib/ssh/inventory-file.ts';
import { inventoryEntry } from '../../lib/ssh/inventory-ssh-config.ts';

const parse = (text: string) => parseInventory(text, 'inventory.yml', '/home/ann');

describe('the ssh target inventory', () => {
  it('reads short and long forms, with defaults', () => {
    const hosts = parse(`
defaults: { user: admin, key: ~/.ssh/id_ed25519 }
hosts:
  node1: 10.0.0.11
  node2: debian@node2.example.net:2222
  node3: { ssh: "[fd00::13]", user: root, port: 22, key: /keys/n3, options: { ProxyJump: bastion } }
`);
    assert.deepEqual(hosts, [
      { name: 'node1', hostName: '10.0.0.11', user: 'admin', port: 22, key: '/home/ann/.ssh/id_ed25519', options: [] },
      { name: 'node2', hostName: 'node2.example.net', user: 'debian', port: 2222, key: '/home/ann/.ssh/id_ed25519', options: [] },
      { name: 'node3', hostName: 'fd00::13', user: 'root', port: 22, key: '/keys/n3', options: [['ProxyJump', 'bastion']] },
    ]);
  });

  it('turns an entry into an ssh Host block', () => {
    const [node] = parse('hosts:\n  node1: { ssh: 10.0.0.11, key: /k }\n');
    assert.deepEqual(inventoryEntry(node), {
      patterns: ['node1'],
      options: [
        ['HostName', '10.0.0.11'],
        ['User', 'root'],
        ['Port', '22'],
        ['IdentityFile', '/k'],
        ['IdentitiesOnly', 'yes'],
      ],
    });
  });

  it('says what is wrong, and where', () => {
    assert.throws(() => parse('node1: 10.0.0.11\n'), /^Error: inventory\.yml: it needs a `hosts:` map/);
    assert.throws(
      () => parse('hosts:\n  node1: { user: x }\n'),
      /host node1 needs an ssh address, e\.g\. `node1: admin@10\.0\.0\.11`/,
    );
    assert.throws(() => parse('hosts:\n  node1: a b\n'), /cannot read the ssh address "a b"/);
    assert.throws(() => parse('hosts:\n  node1: { ssh: x, port: 70000 }\n'), /port must be 1-65535/);
    assert.throws(() => parse('hosts: [\n'), /not valid YAML/);
  });

  it('reads the example shipped with the workbook', async () => {
    const hosts = parseInventory(await readFile(`${ROOT}/lib/ssh/inventory.example.yml`, 'utf8'), 'example', '/home/ann');
    assert.deepEqual(
      hosts.map((h) => h.name),
      ['node1', 'node2', 'node3', 'etcdnode', 'haproxynode'],
    );
  });
});
