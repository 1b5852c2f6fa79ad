import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { LOCAL, parseSessions } from '../../lib/byhand/parse.ts';
import { typedBlocks } from '../../lib/byhand/run.ts';
import { CHAPTERS, markdownPath } from '../../lib/chapters/registry.ts';
import { ROOT } from '../../lib/paths.ts';

/**
 * Tools a Debian 12 VM does not have until someone installs them: not in debootstrap's required
 * and important set, nor in what the box adds (lib/vms/box-recipe.ts). A lab host runs this
 * machine's /usr, so a chapter that types one of them on a host works on the lab and fails on a VM
 * with "command not found" (chapter 10's `node1$ curl …` did, typed on the VMs).
 */
const NOT_ON_A_VM = ['curl', 'jq', 'dig', 'nslookup', 'telnet', 'tree', 'htop', 'netstat', 'ifconfig'];

/** Where a word is run as a command: line start, after a pipe, `;`, `&&`, `||`, `(`, `$(`, or sudo and its options. */
const AT_COMMAND = new RegExp(
  `(?:^|[|;&(]|\\$\\()\\s*(?:sudo(?:\\s+-\\S+(?:\\s+(?!-)[\\w.-]+)?)*\\s+)?(${NOT_ON_A_VM.join('|')})\\b`,
  'gm',
);

describe('by-hand commands on a VM use only what a VM has', () => {
  it('finds a tool at a command position, and not as an argument', () => {
    const found = (line: string) => [...line.matchAll(AT_COMMAND)].map((m) => m[1]);
    assert.deepEqual(found('curl -s http://x'), ['curl']);
    assert.deepEqual(found('x=$(curl -s http://x | jq .role)'), ['curl', 'jq']);
    assert.deepEqual(found('sudo -u postgres netstat -tlnp'), ['netstat']);
    assert.deepEqual(found('grep curl /var/log/x; echo tree'), []);
  });

  it('types no tool a Debian VM lacks on a cluster host, unless the chapter installs it there first', async () => {
    const problems: string[] = [];
    for (const chapter of CHAPTERS) {
      const path = markdownPath(chapter);
      const blocks = parseSessions(await readFile(path, 'utf8'), relative(ROOT, path));
      const installed = new Map<string, Set<string>>();
      for (const phase of ['by-hand', 'see'] as const) {
        for (const command of typedBlocks(blocks, 'vagrant', phase).flatMap((b) => b.commands)) {
          if (command.host === LOCAL) continue;
          const onHost = installed.get(command.host) ?? new Set<string>();
          installed.set(command.host, onHost);
          if (/\bapt(-get)? install\b/.test(command.text)) for (const word of command.text.split(/\s+/)) onHost.add(word);
          for (const m of command.text.matchAll(AT_COMMAND)) {
            if (!onHost.has(m[1]))
              problems.push(`${command.file}:${command.line}: ${command.host}$ ${m[1]} (not on a Debian VM)`);
          }
        }
      }
    }
    assert.deepEqual(problems, [], 'run it from your machine (`$ `), or install it on the host first');
  });
});
