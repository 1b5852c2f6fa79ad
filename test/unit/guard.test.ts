import assert from 'node:assert/strict';
import { assertClusterAddress } from '../../lib/clients/guard.ts';
import { sh, shellJoin, shellQuote } from '../../lib/host/shell.ts';

describe('network safety guard', () => {
  for (const address of ['8.8.8.8', '10.0.0.5', '192.168.57.11', '127.0.0.1', '192.168.56.11; rm -rf /']) {
    it(`refuses ${address} before sending anything`, async () => {
      await assert.rejects(assertClusterAddress(address), /refusing to contact .*only the cluster subnet 192\.168\.56\.0\/24/);
    });
  }
});

describe('shell quoting', () => {
  it('leaves plain words alone and quotes the rest', () => {
    assert.equal(shellJoin(['ls', '-l', '/etc/patroni.yml']), 'ls -l /etc/patroni.yml');
    assert.equal(shellQuote("it's $HOME"), `'it'\\''s $HOME'`);
    const name = 'node2; rm -rf /';
    assert.equal(
      sh`etcdctl member add ${name} --peer-urls=${'http://192.168.56.12:2380'}`,
      `etcdctl member add 'node2; rm -rf /' --peer-urls=http://192.168.56.12:2380`,
    );
    assert.equal(sh`ls ${['-l', 'a b']} | wc -l`, `ls -l 'a b' | wc -l`);
    assert.equal(shellQuote(''), "''");
  });
});
