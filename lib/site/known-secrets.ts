import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STATE_DIR } from '../paths.ts';

/**
 * Every secret already generated on this machine, for every target (`.workbook/<target>/secrets.json`).
 * Reads only: unlike loadSecrets, it never creates a secrets file.
 */
export async function knownSecrets(stateDir: string = STATE_DIR): Promise<string[]> {
  let targets: string[];
  try {
    targets = await readdir(stateDir);
  } catch {
    return [];
  }
  const found = new Set<string>();
  for (const target of targets) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(stateDir, target, 'secrets.json'), 'utf8'));
    } catch {
      continue;
    }
    if (parsed && typeof parsed === 'object') {
      for (const value of Object.values(parsed)) if (typeof value === 'string' && value) found.add(value);
    }
  }
  return [...found];
}
