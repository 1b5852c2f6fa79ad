import assert from 'node:assert/strict';
import { findHost, parseSshConfig, renderSshConfig, sshOption } from '../../lib/ssh/ssh-config.ts';

// What `vagrant ssh-config node1 node2` prints (Vagrant 2.3.4's template, blank lines and all).
const VAGRANT_OUTPUT = `Host node1
  HostName 192.168.121.57
  User vagrant
  Port 22
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  PasswordAuthentication no

  IdentityFile "/home/ann lee/ha workbook/.vagrant/machines/node1/libvirt/private_key"

  IdentitiesOnly yes
  LogLevel FATAL
  PubkeyAcceptedKeyTypes +ssh-rsa
  HostKeyAlgorithms +ssh-rsa

Host node2
  HostName 127.0.0.1
  User vagrant
  Port 2200
  IdentityFile /home/ann/.vagrant.d/insecure_private_key
  IdentitiesOnly yes
  LogLevel FATAL
  ProxyCommand ssh -W "%h:%p" -l admin "libvirt host"
`;

describe('ssh config files', () => {
  it('reads the Host entries of `vagrant ssh-config`', () => {
    const entries = parseSshConfig(VAGRANT_OUTPUT);
    assert.deepEqual(
      entries.map((e) => e.patterns),
      [['node1'], ['node2']],
    );
    const node1 = findHost(entries, 'node1');
    assert.ok(node1);
    assert.equal(sshOption(node1, 'hostname'), '192.168.121.57');
    assert.equal(sshOption(node1, 'Port'), '22');
    assert.equal(sshOption(node1, 'IdentityFile'), '/home/ann lee/ha workbook/.vagrant/machines/node1/libvirt/private_key');
    assert.equal(sshOption(node1, 'ProxyCommand'), undefined);
    const node2 = findHost(entries, 'node2');
    assert.ok(node2);
    assert.equal(sshOption(node2, 'Port'), '2200');
    assert.equal(sshOption(node2, 'ProxyCommand'), 'ssh -W "%h:%p" -l admin "libvirt host"', 'a command keeps its quotes');
    assert.equal(findHost(entries, 'node3'), undefined);
  });

  it('writes what it read so that ssh reads the same (quotes where needed, commands as they are)', () => {
    const entries = parseSshConfig(VAGRANT_OUTPUT);
    const text = renderSshConfig(entries);
    assert.match(text, /^ {2}IdentityFile "\/home\/ann lee\/ha workbook\/.vagrant\/machines\/node1\/libvirt\/private_key"$/m);
    assert.match(text, /^ {2}ProxyCommand ssh -W "%h:%p" -l admin "libvirt host"$/m);
    assert.deepEqual(parseSshConfig(text), entries);
  });

  it('accepts Key=value, comments, options before any Host, and skips Match blocks', () => {
    const entries = parseSshConfig(
      '# top\nCompression=yes\nHost a b\n  Port = 2222\nMatch host x\n  Port 1\nHost c\n  User=root\n',
    );
    assert.deepEqual(entries, [
      { patterns: ['*'], options: [['Compression', 'yes']] },
      { patterns: ['a', 'b'], options: [['Port', '2222']] },
      { patterns: ['c'], options: [['User', 'root']] },
    ]);
  });

  it('refuses values it cannot write safely', () => {
    assert.throws(() => renderSshConfig([{ patterns: ['x'], options: [['IdentityFile', 'a"b']] }]), /cannot write/);
    assert.throws(() => renderSshConfig([{ patterns: ['x'], options: [['User', 'a\nHost *']] }]), /line break/);
  });
});
