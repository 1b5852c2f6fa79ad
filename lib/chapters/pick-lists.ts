import { CHAPTERS } from './registry.ts';

/** The files of .vscode/ whose "chapter" input lists the chapters (tasks and debug configurations). */
export const PICK_LIST_FILES = ['.vscode/tasks.json', '.vscode/launch.json'] as const;

/** The options of the "chapter" pick list: the registry, in order, then "all". */
export function chapterPickOptions(): { label: string; value: string }[] {
  return [
    ...CHAPTERS.map((c) => ({ label: `${c.number}. ${c.title}`, value: String(c.number) })),
    { label: 'All chapters, in order', value: 'all' },
  ];
}

/**
 * The text of a .vscode file (JSON with comments) with the "options" of its "chapter" input
 * rewritten from the registry; everything else, comments included, is kept as it is.
 * Text without a "chapter" input is returned unchanged.
 */
export function syncChapterPickList(text: string): string {
  const input = text.search(/"id":\s*"chapter"/);
  if (input === -1) return text;
  const open = text.slice(input).search(/"options":\s*\[/);
  if (open === -1) return text;
  const bracket = text.indexOf('[', input + open);
  const close = text.indexOf(']', bracket);
  const lineStart = text.lastIndexOf('\n', input + open) + 1;
  const indent = `${/^\s*/.exec(text.slice(lineStart))?.[0] ?? ''}  `;
  const lines = chapterPickOptions().map(
    (o) => `${indent}{ "label": ${JSON.stringify(o.label)}, "value": ${JSON.stringify(o.value)} }`,
  );
  const closeIndent = indent.slice(2);
  return `${text.slice(0, bracket + 1)}\n${lines.join(',\n')}\n${closeIndent}${text.slice(close)}`;
}
