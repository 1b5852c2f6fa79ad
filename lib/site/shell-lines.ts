/**
 * Shell blocks in the chapters show the prompt of the host a command runs on (`node1$ `,
 * `postgres@node1:~$ `, `$ `, psql's `postgres=# `). The site shows prompts but never copies
 * them, and never copies the output printed under a command.
 */
export type ShellLineKind = 'command' | 'continuation' | 'output' | 'plain';

export interface ShellLine {
  kind: ShellLineKind;
  /** The prompt as written, with its trailing space; empty when the line has none. */
  prompt: string;
  /** The line without its prompt. */
  text: string;
}

const PROMPT = /^(?:[\w.@:~/-]*\$|[\w.-]+@[\w.:~/-]+#|[\w.-]+#|\w+[=-][#>]) /;
const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][\w]*)\1/;

/**
 * Sorts the lines of a shell block. A block without any prompt is a script: every line is
 * `plain` and copied as it is. In a block with prompts, a prompt starts a command; lines after
 * a trailing backslash or inside a here-document belong to it; anything else is output.
 */
export function classifyShellLines(code: string): ShellLine[] {
  const raw = code.replace(/\n$/, '').split('\n');
  if (!raw.some((line) => PROMPT.test(line))) return raw.map((text) => ({ kind: 'plain', prompt: '', text }));
  const lines: ShellLine[] = [];
  let heredoc: { end: string; tabs: boolean } | undefined;
  let continued = false;
  for (const line of raw) {
    if (heredoc) {
      lines.push({ kind: 'continuation', prompt: '', text: line });
      if ((heredoc.tabs ? line.replace(/^\t+/, '') : line) === heredoc.end) heredoc = undefined;
      continue;
    }
    let entry: ShellLine;
    const prompt = PROMPT.exec(line)?.[0];
    if (continued) entry = { kind: 'continuation', prompt: '', text: line };
    else if (prompt) entry = { kind: 'command', prompt, text: line.slice(prompt.length) };
    else entry = { kind: 'output', prompt: '', text: line };
    lines.push(entry);
    if (entry.kind === 'output') continue;
    const start = HEREDOC.exec(entry.text);
    if (start) heredoc = { end: start[2], tabs: /<<-/.test(start[0]) };
    continued = !start && /(^|[^\\])\\$/.test(entry.text);
  }
  return lines;
}

/** What a copy button puts on the clipboard for a shell block. */
export function shellCopyText(code: string): string {
  return classifyShellLines(code)
    .filter((line) => line.kind !== 'output')
    .map((line) => line.text)
    .join('\n');
}
