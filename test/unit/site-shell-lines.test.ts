import assert from 'node:assert/strict';
import { classifyShellLines, shellCopyText } from '../../lib/site/shell-lines.ts';

describe('site: shell blocks and their copy text', () => {
  it('strips host prompts and drops the output printed under a command', () => {
    const block = [
      'node2$ patronictl -c /etc/patroni.yml list',
      '+ Cluster: postgres ----+',
      '| node2  | Leader |',
      'node2$ exit',
    ].join('\n');
    assert.equal(shellCopyText(block), 'patronictl -c /etc/patroni.yml list\nexit');
    assert.deepEqual(
      classifyShellLines(block).map((l) => [l.kind, l.prompt]),
      [
        ['command', 'node2$ '],
        ['output', ''],
        ['output', ''],
        ['command', 'node2$ '],
      ],
    );
  });

  it('knows the prompts of the workbook: $, host$, user@host:dir$, host#, psql', () => {
    for (const [line, command] of [
      ['$ npm run chapter 7', 'npm run chapter 7'],
      ['node1$ sudo systemctl start patroni', 'sudo systemctl start patroni'],
      ['haproxynode$ curl -s http://127.0.0.1:7000/', 'curl -s http://127.0.0.1:7000/'],
      ['postgres@node1:~$ psql', 'psql'],
      ['root@etcdnode:/# etcdctl member list', 'etcdctl member list'],
      ['node3# whoami', 'whoami'],
      ['postgres=# select 1;', 'select 1;'],
      ['app=> select 1;', 'select 1;'],
    ]) {
      assert.equal(shellCopyText(line), command, line);
    }
  });

  it('keeps continuation lines and here-documents with their command', () => {
    const block = [
      'node1$ psql -h 192.168.56.31 -p 5000 \\',
      "  -c 'select 1'",
      ' ?column? ',
      "node1$ sudo tee /etc/patroni.yml <<'EOF'",
      'scope: postgres',
      '# a comment inside the file, not a prompt',
      'EOF',
      'scope: postgres',
    ].join('\n');
    assert.equal(
      shellCopyText(block),
      [
        'psql -h 192.168.56.31 -p 5000 \\',
        "  -c 'select 1'",
        "sudo tee /etc/patroni.yml <<'EOF'",
        'scope: postgres',
        '# a comment inside the file, not a prompt',
        'EOF',
      ].join('\n'),
    );
  });

  it('copies a block without prompts as it is: a script, comments and all', () => {
    const script = '# restart every node\nfor n in node1 node2 node3; do\n  echo $n\ndone\n';
    assert.equal(shellCopyText(script), script.trimEnd());
    assert.ok(classifyShellLines(script).every((l) => l.kind === 'plain'));
  });
});
