import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncludeUse } from './markdown.ts';

/**
 * A chapter page must show the same step and check code that `npm run chapter` runs. The
 * chapter holds a copy (refreshed by `npm run sync-chapters`); this says where a copy and its
 * file differ.
 */
export async function staleIncludes(root: string, uses: IncludeUse[]): Promise<string[]> {
  const problems: string[] = [];
  for (const use of uses) {
    // Rendered configurations and typed forms are checked by the unit test of the chapters (sync-chapters --check).
    if (use.spec.startsWith('config:') || / as \S+\$ /.test(use.spec)) continue;
    let actual: string;
    try {
      actual = await readFile(join(root, use.spec), 'utf8');
    } catch {
      problems.push(`includes ${use.spec}, which does not exist`);
      continue;
    }
    if (actual.replace(/\n$/, '') !== use.code.replace(/\n$/, '')) {
      problems.push(`the copy of ${use.spec} is out of date: run npm run sync-chapters`);
    }
  }
  return problems;
}
