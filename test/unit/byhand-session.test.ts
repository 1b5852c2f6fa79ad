import assert from 'node:assert/strict';
import { TypedShell } from '../../lib/byhand/session.ts';
import { sleep } from '../../lib/clients/wait.ts';

describe('by hand: a typed shell answers what a command asks', () => {
  let shell: TypedShell;

  before(async () => {
    shell = await TypedShell.open({ argv: ['bash', '--norc', '--noprofile', '--noediting', '-i'] });
  });

  after(() => shell.close());

  it('types the line when a silent `read -rs` waits for it', async () => {
    const typed = await shell.type('read -rs SECRET; [ "$SECRET" = abc123 ] && echo "got it"', {
      input: 'abc123',
      idleMs: 10_000,
    });
    assert.equal(typed.exitCode, 0);
    assert.match(typed.output, /got it/);
  });

  it('types the line after each prompt, even for a program that flushes the terminal first (getpass), twice', async () => {
    const program =
      "import getpass; a = getpass.getpass('Enter new password: '); b = getpass.getpass('Enter it again: '); print('same' if a == b == 'abc123' else 'differ')";
    const typed = await shell.type(`python3 -c "${program}"`, { input: 'abc123', idleMs: 10_000 });
    assert.equal(typed.exitCode, 0, typed.output);
    assert.match(typed.output, /same/);
  });

  it('never types the line into the shell once the command is over', async () => {
    await shell.type('true', { input: 'should-not-run' });
    await sleep(1500);
    const typed = await shell.type('echo next');
    assert.doesNotMatch(typed.output, /should-not-run/);
    assert.match(typed.output, /^next/m);
  });
});
