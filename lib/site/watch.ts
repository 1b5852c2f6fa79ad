import { type FSWatcher, watch } from 'node:fs';

/**
 * Calls `onChange` once things have settled after files under any of the folders change
 * (editors write a file in several steps). Folders that do not exist are skipped.
 */
export function watchFolders(folders: string[], onChange: (changed: string) => void, settleMs = 150): () => void {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let last = '';
  for (const folder of folders) {
    try {
      watchers.push(
        watch(folder, { recursive: true }, (_event, name) => {
          last = name ? `${folder}/${name}` : folder;
          clearTimeout(timer);
          timer = setTimeout(() => onChange(last), settleMs);
        }),
      );
    } catch {
      // Not there (yet): nothing to watch.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
