import { relative, resolve } from 'node:path';
import { parseCommandLine, wholeNumber } from '../parse-args.ts';
import { ROOT } from '../paths.ts';
import { UsageError } from '../usage-error.ts';

export interface SiteArgs {
  chaptersDir: string;
  outDir: string;
  recordingsDir: string;
  search: boolean;
  port: number;
}

export const SITE_USAGE =
  'usage: npm run site|site:serve -- [CHAPTERS_DIR] [--chapters DIR (chapters/)] [--out DIR (site/dist/)] [--recordings DIR (site/recordings/)] [--no-search] [--port N (site:serve, 4173)]';

const SITE_OPTIONS = {
  chapters: { type: 'string' },
  out: { type: 'string' },
  recordings: { type: 'string' },
  'no-search': { type: 'boolean' },
  port: { type: 'string' },
} as const;

/** The options shared by `npm run site` and `npm run site:serve`. */
export function parseSiteArgs(argv: readonly string[]): SiteArgs {
  const { values, positionals } = parseCommandLine(argv, SITE_OPTIONS, SITE_USAGE);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}. ${SITE_USAGE}`);
  const chapters = values.chapters ?? positionals[0];
  return {
    chaptersDir: chapters ? resolve(chapters) : `${ROOT}/chapters`,
    outDir: values.out ? resolve(values.out) : `${ROOT}/site/dist`,
    recordingsDir: values.recordings ? resolve(values.recordings) : `${ROOT}/site/recordings`,
    search: !values['no-search'],
    port: wholeNumber('port', values.port, 0, 65535, 4173),
  };
}

/** A path as a person wants to read it: relative when it is under the current folder. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
