import { type BundledLanguage, createHighlighter, type ThemedToken } from 'shiki';
import { haproxyGrammar } from './haproxy-grammar.ts';
import { escapeHtml } from './html.ts';
import { classifyShellLines } from './shell-lines.ts';

export const THEMES = { light: 'github-light', dark: 'github-dark' } as const;

/** Fence info words → the grammar that colours them. Anything else is shown as plain text. */
const ALIASES: Record<string, string> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  sh: 'sh',
  bash: 'sh',
  shell: 'sh',
  console: 'sh',
  'shell-session': 'sh',
  yaml: 'yaml',
  yml: 'yaml',
  ini: 'ini',
  conf: 'ini',
  cfg: 'ini',
  properties: 'ini',
  systemd: 'ini',
  haproxy: 'haproxy',
  'haproxy-cfg': 'haproxy',
  json: 'json',
  sql: 'sql',
  diff: 'diff',
};

const LANGS = ['ts', 'js', 'sh', 'yaml', 'ini', 'json', 'sql', 'diff'] as const;

export interface HighlightedBlock {
  /** The grammar used, or `text`. */
  lang: string;
  /** Lines of HTML, each a complete `<span class="line">…</span>`. */
  lines: string[];
  /** Whether the block had prompts (then copy strips them and skips output lines). */
  hasPrompts: boolean;
}

export interface CodeHighlighter {
  highlight(code: string, info: string): HighlightedBlock;
  /** Fence languages met that have no grammar, for a build warning. */
  readonly unknownLanguages: Set<string>;
}

function styleOf(token: ThemedToken): string {
  const style = token.htmlStyle ?? {};
  return Object.entries(style)
    .map(([k, v]) => `${k}:${v}`)
    .join(';');
}

function tokensToHtml(tokens: ThemedToken[]): string {
  return tokens.map((t) => `<span style="${styleOf(t)}">${escapeHtml(t.content)}</span>`).join('');
}

export function resolveLanguage(info: string): string {
  const word = info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return ALIASES[word] ?? 'text';
}

/** One shiki instance for the whole build: dual themes, switched by prefers-color-scheme in CSS. */
export async function createCodeHighlighter(): Promise<CodeHighlighter> {
  const shiki = await createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: [...LANGS, haproxyGrammar] });
  const unknownLanguages = new Set<string>();
  const tokenize = (code: string, lang: string) =>
    shiki.codeToTokens(code, { lang: lang as BundledLanguage, themes: THEMES, defaultColor: false }).tokens;

  return {
    unknownLanguages,
    highlight(code, info) {
      const word = info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      const lang = resolveLanguage(info);
      if (lang === 'text' && word && !['text', 'txt', 'plain', 'output'].includes(word)) unknownLanguages.add(word);
      const body = code.replace(/\n$/, '');
      if (lang === 'text') {
        return { lang, hasPrompts: false, lines: body.split('\n').map((l) => `<span class="line">${escapeHtml(l)}</span>`) };
      }
      if (lang !== 'sh') {
        return {
          lang,
          hasPrompts: false,
          lines: tokenize(body, lang).map((t) => `<span class="line">${tokensToHtml(t)}</span>`),
        };
      }
      const shell = classifyShellLines(body);
      const typed = shell.filter((l) => l.kind !== 'output');
      const colored = tokenize(typed.map((l) => l.text).join('\n'), 'sh');
      let next = 0;
      const lines = shell.map((line) => {
        if (line.kind === 'output') return `<span class="line output">${escapeHtml(line.text)}</span>`;
        const prompt = line.prompt ? `<span class="prompt">${escapeHtml(line.prompt)}</span>` : '';
        return `<span class="line">${prompt}${tokensToHtml(colored[next++] ?? [])}</span>`;
      });
      return { lang, hasPrompts: shell.some((l) => l.kind === 'command'), lines };
    },
  };
}
