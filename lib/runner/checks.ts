import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { type Chapter, checkPath } from '../chapters/registry.ts';
import { ROOT } from '../paths.ts';
import type { TargetName } from '../target.ts';
import { scaled, timeScale } from '../time-scale.ts';

const MOCHA = `${ROOT}/node_modules/.bin/mocha`;

/** checks/.mocharc.json's timeout (120 s), times WORKBOOK_TIME_SCALE on slow (emulated) machines. */
function mochaArgs(files: string[], extra: string[]): string[] {
  const scale = timeScale();
  const timeout = scale > 1 ? ['--timeout', String(scaled(120000))] : [];
  return ['--config', `${ROOT}/checks/.mocharc.json`, ...timeout, ...extra, ...files];
}

function runMocha(args: string[], target: TargetName, quiet: boolean, prerequisite = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(MOCHA, args, {
      cwd: ROOT,
      stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
      env: { ...process.env, WORKBOOK_TARGET: target, ...(prerequisite ? { WORKBOOK_PREREQUISITE_CHECK: '1' } : {}) },
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Runs chapters' checks with mocha's spec reporter on the terminal; true when all passed. */
export async function runChecks(chapters: readonly Chapter[], target: TargetName): Promise<boolean> {
  return (await runMocha(mochaArgs(chapters.map(checkPath), []), target, false)) === 0;
}

export interface FirstFailure {
  chapter: Chapter;
  reason: string;
}

/**
 * Runs checks quietly in chapter order and stops at the first failure; returns which chapter
 * failed and why, or undefined when all passed. As a prerequisite check it skips the tests
 * that disturb the cluster on purpose.
 */
export async function firstFailingCheck(
  chapters: readonly Chapter[],
  target: TargetName,
  { prerequisite = false }: { prerequisite?: boolean } = {},
): Promise<FirstFailure | undefined> {
  if (chapters.length === 0) return undefined;
  const dir = await mkdtemp(`${tmpdir()}/workbook-checks-`);
  try {
    const output = `${dir}/result.json`;
    const args = mochaArgs(chapters.map(checkPath), ['--bail', '--reporter', 'json', '--reporter-option', `output=${output}`]);
    const code = await runMocha(args, target, true, prerequisite);
    if (code === 0) return undefined;
    const result = JSON.parse(await readFile(output, 'utf8').catch(() => '{}')) as {
      failures?: { file?: string; fullTitle: string; err: { message?: string } }[];
    };
    const failure = result.failures?.[0];
    const chapter = chapters.find((c) => failure?.file === checkPath(c)) ?? chapters[0];
    return {
      chapter,
      reason: failure ? `${failure.fullTitle}: ${failure.err.message ?? ''}`.split('\n')[0] : `mocha exited with ${code}`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
