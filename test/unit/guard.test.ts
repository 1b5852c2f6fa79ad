import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertClusterAddress } from '../../lib/clients/guard.ts';
import { sh, shellJoin, shellQuote } from '../../lib/host/shell.ts';
import { ROOT } from '../../lib/paths.ts';

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

describe('steps, checks and lib/ quote what they interpolate', () => {
  // A command line built from values goes through sh`…` (or StepHost.$), never a bare template:
  // a value with a space or a quote would split it. Text in the template itself stays shell.
  const BARE = [
    /(?:\.run|\.query|\bshell)\(\s*`[^`]*\$\{/,
    /\.change\(\s*(?:'[^']*'|`[^`]*`),\s*`[^`]*\$\{/,
    /\bcheck:\s*`[^`]*\$\{/,
  ];
  // Everything that runs commands on the machines: steps, checks and lib/ (the CLIs' own
  // progress labels in lib/cli are no command lines).
  const files = ['steps', 'checks', 'lib']
    .flatMap((d) => readdirSync(join(ROOT, d), { recursive: true, encoding: 'utf8' }).map((f) => `${d}/${f}`))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('lib/cli/'));
  it('no file of steps/, checks/ or lib/ builds a command line from a bare template', () => {
    const bare = files.filter((file) => {
      const source = readFileSync(join(ROOT, file), 'utf8');
      return BARE.some((pattern) => pattern.test(source));
    });
    assert.ok(files.length > 100, 'the files were found');
    assert.deepEqual(bare, [], 'use sh`…` from lib/host/shell.ts');
  });
});
