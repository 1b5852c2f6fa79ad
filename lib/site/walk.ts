import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file under a folder, as paths relative to it (with `/`). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      relative(dir, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
        .split('\\')
        .join('/'),
    )
    .sort();
}
