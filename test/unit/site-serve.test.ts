import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { ROOT } from '../../lib/paths.ts';

/** Collects a child's output and waits for lines that match. */
function follow(child: ChildProcess) {
  let output = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = output.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout?.on('data', (d) => {
    output += d;
    check();
  });
  child.stderr?.on('data', (d) => {
    output += d;
    check();
  });
  return {
    output: () => output,
    waitFor(pattern: RegExp, ms = 20000): Promise<RegExpMatchArray> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${output}`)), ms);
        waiters.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
        check();
      });
    },
  };
}

describe('site: npm run site:serve', function () {
  this.timeout(60000);
  let dir: string;
  let child: ChildProcess | undefined;

  before(async () => {
    dir = await mkdtemp(`${tmpdir()}/workbook-serve-`);
    await cp(`${ROOT}/test/fixtures/site/chapters`, `${dir}/chapters`, { recursive: true });
  });
  after(async () => {
    if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('serves on 127.0.0.1 only, rebuilds when a chapter changes and reloads open pages', async () => {
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        `${ROOT}/lib/cli/site-serve.ts`,
        `${dir}/chapters`,
        '--out',
        `${dir}/dist`,
        '--recordings',
        `${dir}/none`,
        '--no-search',
        '--port',
        '0',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const log = follow(child);
    const [, url] = await log.waitFor(/serving .* at (http:\/\/[^/\s]+\/)/);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

    const page = async (path: string) => (await fetch(new URL(path, url))).text();
    const before = await page('08-configure-haproxy.html');
    assert.match(before, /<h1 id="8-configure-haproxy"/);
    assert.match(before, /new EventSource\('\/__workbook\/reload'\)/, 'pages served for editing reload themselves');
    // A raw path, as fetch would normalise it away: nothing outside the site is served.
    const raw = (path: string) =>
      new Promise<number>((resolve, reject) =>
        get({ host: '127.0.0.1', port: new URL(url).port, path }, (r) => resolve(r.statusCode ?? 0)).on('error', reject),
      );
    assert.equal(await raw('/../../etc/passwd'), 404, 'dot segments stay inside the site');
    assert.equal(await raw('/%2e%2e/%2e%2e/etc/passwd'), 404);
    assert.equal(await raw('/..%2f..%2f..%2fetc%2fpasswd'), 403, 'an encoded slash cannot climb out');

    const events = await fetch(new URL('/__workbook/reload', url));
    const reader = events.body?.getReader();
    const file = `${dir}/chapters/08-configure-haproxy.md`;
    await writeFile(file, (await readFile(file, 'utf8')).replace('# 8. Configure HAProxy', '# 8. Configure HAProxy, edited'));
    await log.waitFor(/rebuilt \d+ pages/);
    assert.match(await page('08-configure-haproxy.html'), /<h1 id="8-configure-haproxy-edited"/);
    let received = '';
    while (reader && !received.includes('event: reload')) received += new TextDecoder().decode((await reader.read()).value);
    await reader?.cancel();

    child.kill('SIGTERM');
    await new Promise((resolve) => child?.once('exit', resolve));
  });
});
