import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { ROOT } from '../../lib/paths.ts';
import { DARK_CHART_COLOURS, withDarkStyle } from '../../lib/site/charts.ts';
import { editUrlFor, editUrlTemplate } from '../../lib/site/edit-url.ts';
import { promptHost, sessionRuns } from '../../lib/site/md-session.ts';

describe('site: "Edit this page" addresses from package.json', () => {
  it('understands every way npm lets a repository be written, on the hosts whose edit pages are known', () => {
    const github = 'https://github.com/acme/workbook/edit/main/{path}';
    for (const repository of [
      'acme/workbook',
      'github:acme/workbook',
      'https://github.com/acme/workbook',
      'https://github.com/acme/workbook.git',
      'git+https://github.com/acme/workbook.git',
      'git@github.com:acme/workbook.git',
      'git://github.com/acme/workbook.git',
      { type: 'git', url: 'git+https://github.com/acme/workbook.git' },
    ]) {
      assert.equal(editUrlTemplate(repository), github, JSON.stringify(repository));
    }
    assert.equal(editUrlTemplate('gitlab:acme/workbook'), 'https://gitlab.com/acme/workbook/-/edit/main/{path}');
    assert.equal(
      editUrlTemplate('https://codeberg.org/acme/workbook.git'),
      'https://codeberg.org/acme/workbook/_edit/main/{path}',
    );
    assert.equal(
      editUrlTemplate({ type: 'git', url: 'https://github.com/acme/mono.git', directory: 'packages/workbook/' }),
      'https://github.com/acme/mono/edit/main/packages/workbook/{path}',
    );
  });

  it('gives no address when there is no repository, or a host it does not know: it never guesses one', () => {
    for (const repository of [
      undefined,
      null,
      '',
      42,
      {},
      { url: 7 },
      'https://git.internal.example/acme/workbook.git',
      'not a url',
    ]) {
      assert.equal(editUrlTemplate(repository), undefined, JSON.stringify(repository));
    }
  });

  it('fills in the page source path, and leaves the link out without a template', () => {
    assert.equal(
      editUrlFor('https://github.com/acme/workbook/edit/main/{path}', 'chapters/07-start-patroni.md'),
      'https://github.com/acme/workbook/edit/main/chapters/07-start-patroni.md',
    );
    assert.equal(editUrlFor(undefined, 'chapters/07-start-patroni.md'), undefined);
  });
});

describe('site: session blocks that mix hosts', () => {
  it('names the host of each prompt', () => {
    assert.equal(promptHost('node1$ '), 'node1');
    assert.equal(promptHost('etcdnode2$ '), 'etcdnode2');
    assert.equal(promptHost('$ '), 'your machine');
    assert.equal(promptHost('postgres@node1:~$ '), 'postgres@node1');
    assert.equal(promptHost('postgres=# '), 'psql (postgres=#)');
    assert.equal(promptHost('appdb=> '), 'psql (appdb=>)');
  });

  it('cuts a block into runs of one host, output and continued lines kept with their command', () => {
    const code = [
      'etcdnode$ etcdctl member add etcdnode3 \\',
      '  --peer-urls=http://192.168.56.23:2380',
      'Member added',
      'etcdnode3$ sudo systemctl restart etcd',
      'etcdnode3$ sudo tee /tmp/x <<EOF',
      'node1$ not a prompt inside a here-document',
      'EOF',
      'etcdnode$ etcdctl member list',
      'a, started',
    ].join('\n');
    assert.deepEqual(
      sessionRuns(code)?.map((r) => [r.host, r.start, r.end]),
      [
        ['etcdnode', 0, 3],
        ['etcdnode3', 3, 7],
        ['etcdnode', 7, 9],
      ],
    );
  });

  it('leaves a block on one host, or without prompts, as it is', () => {
    assert.equal(sessionRuns('node1$ a\nout\nnode1$ b'), undefined);
    assert.equal(sessionRuns('echo a\necho b'), undefined);
  });
});

describe('site: drill charts for a dark screen', () => {
  const hex = (text: string) => new Set([...text.matchAll(/#[0-9a-f]{6}\b/gi)].map((m) => m[0].toLowerCase()));

  it('has a dark colour for every colour the chart code and the committed charts use', () => {
    const used = hex(readFileSync(`${ROOT}/lib/drill/chart.ts`, 'utf8'));
    for (const name of readdirSync(`${ROOT}/site/drills`)) {
      for (const colour of hex(readFileSync(`${ROOT}/site/drills/${name}`, 'utf8'))) used.add(colour);
    }
    const missing = [...used].filter((c) => !(c in DARK_CHART_COLOURS));
    assert.deepEqual(missing, [], 'colours with no dark counterpart in lib/site/charts.ts');
  });

  it('adds its stylesheet once, right after the opening tag, as well-formed XML', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect fill="#ffffff"/></svg>';
    const styled = withDarkStyle(svg);
    assert.match(styled, /^<svg [^>]*>\n<style data-workbook-dark="">@media \(prefers-color-scheme: dark\)\{/);
    assert.match(styled, /\[fill="#ffffff" i\]\{fill:#1b1b1f\}/);
    assert.equal(withDarkStyle(styled), styled);
  });
});
