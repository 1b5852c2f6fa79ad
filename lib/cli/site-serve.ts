import { dirname, join } from 'node:path';
import { ASSETS_DIR } from '../site/assets.ts';
import { type BuildResult, buildSite } from '../site/build.ts';
import { displayPath, parseSiteArgs } from '../site/cli-args.ts';
import { serveStatic } from '../site/serve.ts';
import { watchFolders } from '../site/watch.ts';

/**
 * `npm run site:serve [-- --port N] [site options]`: builds the site, serves it on 127.0.0.1
 * and rebuilds it (and reloads open pages) whenever a chapter, a recording or a site asset
 * changes. For instructors editing chapters.
 */
async function serve(): Promise<void> {
  const args = parseSiteArgs(process.argv.slice(2));
  const summary = (r: BuildResult) =>
    `${r.pages.length} pages (${r.chapters} chapters) in ${r.seconds.total.toFixed(2)} s${r.warnings.length ? `, ${r.warnings.length} warning(s)` : ''}`;
  const build = () => buildSite({ ...args, log: (line) => console.log(line) });
  console.log(`built ${summary(await build())}`);

  const site = await serveStatic({ root: args.outDir, port: args.port, liveReload: true });
  console.log(`serving ${displayPath(args.outDir)} at ${site.url}  (127.0.0.1 only; Ctrl-C stops)`);
  const watched = [args.chaptersDir, join(dirname(args.chaptersDir), 'workshop'), args.recordingsDir, ASSETS_DIR];
  console.log(`watching ${watched.map((d) => displayPath(d)).join(', ')}`);

  let running = false;
  let again = false;
  const rebuild = async (changed: string) => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      console.log(`changed: ${displayPath(changed)}`);
      console.log(`rebuilt ${summary(await build())}`);
      site.reload();
    } catch (error) {
      console.error(`rebuild failed: ${(error as Error).message} (still serving the last good build)`);
    } finally {
      running = false;
      if (again) {
        again = false;
        void rebuild(changed);
      }
    }
  };
  const stop = watchFolders(watched, (changed) => void rebuild(changed));
  const shutdown = async () => {
    stop();
    await site.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

serve().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
