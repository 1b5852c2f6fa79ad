/**
 * `npm run bench:site [-- CHAPTERS_DIR]`: figures, not assertions. How long the whole site takes
 * to build (issue 4's target: under 5 s) and how much a reader downloads per page.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parsedOrExit } from '../lib/cli/errors.ts';
import { parseCommandLine } from '../lib/parse-args.ts';
import { ROOT } from '../lib/paths.ts';
import { buildSite } from '../lib/site/build.ts';
import { listFiles } from '../lib/site/walk.ts';
import { UsageError } from '../lib/usage-error.ts';

const run = promisify(execFile);
const SITE_BENCH_USAGE = 'usage: npm run bench:site [-- CHAPTERS_DIR]';
const chaptersDir = parsedOrExit(() => {
  const { positionals } = parseCommandLine(process.argv.slice(2), {}, SITE_BENCH_USAGE);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}. ${SITE_BENCH_USAGE}`);
  return resolve(positionals[0] ?? `${ROOT}/chapters`);
});
const recordingsDir = `${ROOT}/site/recordings`;
const dir = await mkdtemp(`${tmpdir()}/workbook-bench-site-`);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  // What `npm run site` costs from a shell: a new process, tsx, shiki, markdown, Pagefind.
  const processRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await run(
      process.execPath,
      ['--import', 'tsx', `${ROOT}/lib/cli/site.ts`, chaptersDir, '--out', `${dir}/cli`, '--recordings', recordingsDir],
      {
        cwd: ROOT,
      },
    );
    processRuns.push((performance.now() - t) / 1000);
  }
  // Inside one process, as site:serve rebuilds: the first build pays for shiki's start.
  const builds = [];
  for (let i = 0; i < 4; i++) builds.push(await buildSite({ chaptersDir, outDir: `${dir}/dist`, recordingsDir }));
  const [first, ...warm] = builds;
  const last = builds.at(-1) ?? first;

  console.log(
    `site build: ${first.chapters} chapters, ${first.pages.length} pages, ${first.recordings} recordings (${chaptersDir})`,
  );
  console.log(
    `  npm run site, new process (median of 3)  ${median(processRuns).toFixed(2)} s   [${processRuns.map((s) => s.toFixed(2)).join(', ')}]`,
  );
  console.log(
    `  first build in a process                 ${first.seconds.total.toFixed(2)} s   (render ${first.seconds.render.toFixed(2)} s, search index ${first.seconds.search.toFixed(2)} s)`,
  );
  console.log(`  rebuild (site:serve, median of 3)        ${median(warm.map((b) => b.seconds.total)).toFixed(2)} s`);
  console.log('  target: under 5 s');

  const out = `${dir}/dist`;
  const size = async (path: string) => {
    const data = await readFile(`${out}/${path}`).catch(() => undefined);
    return data ? { raw: data.length, gzip: gzipSync(data).length } : { raw: 0, gzip: 0 };
  };
  const shared = ['assets/style.css', 'assets/site.js', 'assets/favicon.svg', 'assets/fonts/inter-latin-wght-normal.woff2'];
  const sharedSize = await Promise.all(shared.map(size));
  const sum = (xs: { raw: number; gzip: number }[]) =>
    xs.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
  const mono = await size('assets/fonts/jetbrains-mono-latin-wght-normal.woff2');
  const player = sum([await size('assets/asciinema-player.min.js'), await size('assets/asciinema-player.css')]);

  console.log(
    '\npage weight: what a first visit downloads (HTML + CSS + JS + fonts + recording); gzip as a server would send it',
  );
  console.log(`  ${'page'.padEnd(34)} ${'html'.padStart(10)} ${'total'.padStart(11)} ${'total gzip'.padStart(11)}`);
  for (const page of last.pages) {
    const html = await readFile(`${out}/${page}`, 'utf8');
    const parts = [await size(page), ...sharedSize];
    if (html.includes('class="code')) parts.push(mono);
    if (html.includes('asciinema-player.min.js')) {
      parts.push(player);
      const cast = /data-cast="([^"]+)"/.exec(html)?.[1];
      if (cast) parts.push(await size(cast));
    }
    const total = sum(parts);
    console.log(
      `  ${page.padEnd(34)} ${kib(parts[0].raw).padStart(10)} ${kib(total.raw).padStart(11)} ${kib(total.gzip).padStart(11)}`,
    );
  }
  const searchFiles = (await listFiles(out)).filter((f) => f.startsWith('pagefind/'));
  const searchFirst = sum(
    await Promise.all(
      searchFiles.filter((f) => /pagefind\.js$|pagefind-entry\.json$|wasm\.en\.pagefind$|\.pf_meta$/.test(f)).map(size),
    ),
  );
  console.log(
    `  first search (pagefind.js, wasm, metadata; index chunks on demand): ${kib(searchFirst.raw)} (${kib(searchFirst.gzip)} gzip)`,
  );

  const files = await listFiles(out);
  let total = 0;
  for (const f of files) total += (await stat(`${out}/${f}`)).size;
  console.log(`\nsite folder: ${files.length} files, ${kib(total)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
