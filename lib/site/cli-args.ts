import { relative, resolve } from 'node:path';
import { ROOT } from '../paths.ts';

export interface SiteArgs {
  chaptersDir: string;
  outDir: string;
  recordingsDir: string;
  search: boolean;
  port: number;
}

export const SITE_USAGE =
  'options: --chapters DIR (chapters/)  --out DIR (site/dist/)  --recordings DIR (site/recordings/)  --no-search  --port N (site:serve, 4173)';

export class SiteUsageError extends Error {}

/** The options shared by `npm run site` and `npm run site:serve`. */
export function parseSiteArgs(argv: readonly string[]): SiteArgs {
  const args: SiteArgs = {
    chaptersDir: `${ROOT}/chapters`,
    outDir: `${ROOT}/site/dist`,
    recordingsDir: `${ROOT}/site/recordings`,
    search: true,
    port: 4173,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v) throw new SiteUsageError(`${arg} needs a value. ${SITE_USAGE}`);
      return v;
    };
    if (arg === '--chapters') args.chaptersDir = resolve(value());
    else if (arg === '--out') args.outDir = resolve(value());
    else if (arg === '--recordings') args.recordingsDir = resolve(value());
    else if (arg === '--no-search') args.search = false;
    else if (arg === '--port') args.port = Number(value());
    else if (!arg.startsWith('-') && i === 0) args.chaptersDir = resolve(arg);
    else throw new SiteUsageError(`unknown option ${arg}. ${SITE_USAGE}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)
    throw new SiteUsageError(`--port must be 0-65535. ${SITE_USAGE}`);
  return args;
}

/** A path as a person wants to read it: relative when it is under the current folder. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
