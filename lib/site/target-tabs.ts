import type { MarkdownIt } from 'markdown-it';
import { escapeHtml } from './html.ts';
import type { PageEnv } from './markdown.ts';
import { slugify } from './slug.ts';

/**
 * Lab / Vagrant tabs, where the commands differ between the targets:
 *
 *     <!-- tab: Vagrant -->
 *     …what a Vagrant attendee types…
 *     <!-- tab: Lab -->
 *     …what a lab attendee types…
 *     <!-- /tabs -->
 *
 * GitHub and editors show every panel one after the other. The site renders a tab list with
 * real buttons (role="tab", aria-selected, arrow keys in site.js) over one panel per tab; without
 * JavaScript the tab list stays hidden and every panel shows, each under its own title. The
 * choice is remembered in the browser and applies to every tab group of the workbook.
 */

const TAB = /^<!--\s*tab:\s*(.+?)\s*-->\s*$/;
const END = /^<!--\s*\/tabs\s*-->\s*$/;
const GROUPS = Symbol('tab groups');

interface Panel {
  label: string;
  key: string;
  index: number;
}

function panelId(group: string, key: string): string {
  return `${group}-${key}`;
}

function tabList(group: string, panels: Panel[]): string {
  const buttons = panels
    .map(
      (p, i) =>
        `<button type="button" role="tab" id="${panelId(group, p.key)}-tab" aria-controls="${panelId(group, p.key)}" aria-selected="${i === 0}" tabindex="${i === 0 ? 0 : -1}" data-tab="${p.key}">${escapeHtml(p.label)}</button>`,
    )
    .join('');
  return `<div class="target-tabs" data-tabs="${group}">\n<div class="tab-list" role="tablist" aria-label="Commands for your target" hidden>${buttons}</div>\n`;
}

function panelOpen(group: string, panel: Panel): string {
  return `<section class="tab-panel" role="tabpanel" id="${panelId(group, panel.key)}" aria-labelledby="${panelId(group, panel.key)}-tab" data-tab="${panel.key}">\n<p class="tab-panel-title">${escapeHtml(panel.label)}</p>\n`;
}

export function targetTabsPlugin(md: MarkdownIt): void {
  md.core.ruler.after('block', 'workbook-target-tabs', (state) => {
    const env = state.env as unknown as PageEnv;
    const tokens = state.tokens;
    let current: { group: string; first: number; panels: Panel[] } | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.type !== 'html_block') continue;
      const text = token.content.trim();
      const tab = TAB.exec(text);
      if (tab) {
        if (!current) {
          const count = ((env[GROUPS] as number | undefined) ?? 0) + 1;
          env[GROUPS] = count;
          current = { group: `tabs-${env.chapterCard?.number ?? 0}-${count}`, first: i, panels: [] };
        }
        const panel = { label: tab[1], key: slugify(tab[1]) || `tab${current.panels.length + 1}`, index: i };
        token.content = `${current.panels.length > 0 ? '</section>\n' : ''}${panelOpen(current.group, panel)}`;
        current.panels.push(panel);
      } else if (END.test(text)) {
        if (!current) {
          env.warnings.push('<!-- /tabs --> without a <!-- tab: … --> above it');
          continue;
        }
        if (current.panels.length < 2) env.warnings.push(`a tab group has one tab only (${current.panels[0]?.label})`);
        token.content = '</section>\n</div>\n';
        tokens[current.first].content = tabList(current.group, current.panels) + tokens[current.first].content;
        current = undefined;
      }
    }
    if (current) env.warnings.push(`<!-- tab: ${current.panels[0]?.label} --> has no <!-- /tabs --> below it`);
  });
}
