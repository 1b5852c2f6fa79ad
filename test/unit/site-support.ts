import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ROOT } from '../../lib/paths.ts';

/** Helpers shared by the site's unit tests. */
const run = promisify(execFile);
const FAKE_CHAPTER = `${ROOT}/test/fixtures/site/fake-chapter.mjs`;

/** `npm run record 10`, exactly as a person runs it, but recording the fake chapter. */
export async function recordFake(stateDir: string, outDir: string, exitCode = 0) {
  const env = {
    ...process.env,
    WORKBOOK_STATE_DIR: stateDir,
    WORKBOOK_TARGET: 'lab',
    WORKBOOK_RECORD_COMMAND: JSON.stringify([process.execPath, FAKE_CHAPTER, String(exitCode)]),
  };
  return run(process.execPath, ['--import', 'tsx', `${ROOT}/lib/cli/record.ts`, '10', '--out', outDir], { cwd: ROOT, env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

export async function readSecretsFile(stateDir: string): Promise<string[]> {
  const parsed = JSON.parse(await readFile(`${stateDir}/lab/secrets.json`, 'utf8')) as Record<string, string>;
  return Object.values(parsed);
}
