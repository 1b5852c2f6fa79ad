import type { HighlightedBlock } from './highlight.ts';
import { escapeHtml } from './html.ts';
import { classifyShellLines } from './shell-lines.ts';

/**
 * A session block whose commands run on more than one host (`etcdnode$ …`, then `$ curl …` on
 * the attendee's machine) is shown as one block in parts, one part per run of commands on the
 * same host, each with the host's name and its own copy button: a person copies what they
 * paste into one terminal, in the order the chapter gives. The output under a command stays in
 * its part. A block on one host is left as it is.
 */

export interface SessionRun {
  /** The prompt as written: `node1$ `, `$ `, `postgres=# `. */
  prompt: string;
  /** Who runs it, as shown above the part: `node1`, `your machine`, `psql (postgres=#)`. */
  host: string;
  /** Lines [start, end) of the block. */
  start: number;
  end: number;
}

/** `node1$ ` → node1, `$ ` → your machine, `postgres@node1:~$ ` → postgres@node1, `postgres=# ` → psql (postgres=#). */
export function promptHost(prompt: string): string {
  const text = prompt.trim();
  if (text === '$' || text === '#') return 'your machine';
  const psql = /^(\w+)([=-][#>])$/.exec(text);
  if (psql) return `psql (${text})`;
  return text.replace(/:[^:]*[$#]$/, '').replace(/[$#]$/, '');
}

/** The runs of a session block, or undefined when all of its commands have one prompt. */
export function sessionRuns(code: string): SessionRun[] | undefined {
  const lines = classifyShellLines(code);
  const runs: SessionRun[] = [];
  for (const [i, line] of lines.entries()) {
    const last = runs.at(-1);
    if (line.kind === 'command' && line.prompt !== last?.prompt) {
      if (last) last.end = i;
      runs.push({ prompt: line.prompt, host: promptHost(line.prompt), start: last ? i : 0, end: lines.length });
    }
  }
  return new Set(runs.map((r) => r.prompt)).size > 1 ? runs : undefined;
}

/** The HTML of a session block in parts, or undefined when it is not one. */
export function sessionHtml(code: string, block: HighlightedBlock): string | undefined {
  if (block.lang !== 'sh' || !block.hasPrompts) return undefined;
  const runs = sessionRuns(code);
  if (!runs) return undefined;
  const hosts = [...new Set(runs.map((r) => r.host))];
  const parts = runs.map(
    (run) =>
      `<figure class="code has-prompts session-part" data-lang="sh" data-host="${escapeHtml(run.host)}"><figcaption class="code-title code-host"><span class="code-host-name">${escapeHtml(run.host)}</span></figcaption><pre class="shiki" tabindex="0"><code>${block.lines.slice(run.start, run.end).join('\n')}</code></pre></figure>`,
  );
  return `<div class="session" role="group" aria-label="${escapeHtml(`Commands on ${hosts.join(', ')}`)}">${parts.join('')}</div>\n`;
}
