import { execFile } from 'node:child_process';
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import { promisify } from 'node:util';
import { minimatch } from 'minimatch';

/**
 * What "Mocha for VS Code" (coderline.mocha-vscode, github.com/CoderLine/mocha-vscode, read at
 * 1.4.0) does to fill the Testing view, step by step, so that a test can do exactly the same:
 *
 * 1. src/constants.ts, src/workspaceWatcher.ts: every file matching
 *    `**∕.mocharc.{js,cjs,yaml,yml,json,jsonc}` or `**∕package.json`, outside `**∕node_modules/**`,
 *    is a config file; a package.json counts only with a "mocha" section (configurationFile.ts).
 * 2. src/runtime/nodelike.ts: in the config file's folder it runs
 *    `node -e "import {loadOptions} from 'mocha/lib/cli/options.js'; console.log(JSON.stringify(loadOptions()))"`.
 *    When that fails it logs the error and goes on with `{ _: [], ignore: [] }`: an empty tree,
 *    and nothing on screen says why.
 * 3. src/configurationFile.ts (ConfigurationList): each positional `_` (the spec; default
 *    `./test/*.{js,cjs,mjs}` when absent) joined to the config folder is a glob; each `ignore` a
 *    negated one. src/controller.ts finds files with the workspace-relative globs
 *    (vscode.workspace.findFiles) and keeps those `includesTestFile` accepts (minimatch on the
 *    absolute path, last matching pattern wins).
 */
const run = promisify(execFile);

export const CONFIG_FILE_PATTERNS = ['**/.mocharc.{js,cjs,yaml,yml,json,jsonc}', '**/package.json'];
export const IGNORE_CONFIG_FILE_PATTERN = '**/node_modules/**';
export const LOAD_OPTIONS_SCRIPT = `import {loadOptions} from 'mocha/lib/cli/options.js'; console.log(JSON.stringify(loadOptions()))`;

export interface ResolvedConfiguration {
  _?: string[];
  ignore?: string[];
  [option: string]: unknown;
}

const slashes = (p: string) => p.replace(/\\/g, '/');

/** Every file of the folder as findFiles sees it: VS Code's default files.exclude (.git …) and node_modules left out. */
export function workspaceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable (e.g. .workbook as a normal user): VS Code cannot list it either
    }
    for (const entry of entries) {
      if (['.git', '.svn', '.hg', 'CVS', '.DS_Store', 'Thumbs.db', 'node_modules'].includes(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(root);
  return out.sort();
}

/** Step 1: the config files the extension makes a test tree for. */
export function configFiles(root: string, files = workspaceFiles(root)): string[] {
  return files.filter((file) => {
    const path = slashes(file);
    if (!CONFIG_FILE_PATTERNS.some((p) => minimatch(path, p, { dot: true }))) return false;
    if (minimatch(path, IGNORE_CONFIG_FILE_PATTERN, { dot: true })) return false;
    if (path.endsWith('/package.json')) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      return 'mocha' in json && json.mocha !== undefined;
    }
    return true;
  });
}

/**
 * Step 2, but loud: the extension swallows the failure and shows an empty tree; this rejects
 * with node's error, so a test fails and says why.
 */
export async function resolveConfiguration(configFile: string, node = process.execPath): Promise<ResolvedConfiguration> {
  try {
    const { stdout } = await run(node, ['-e', LOAD_OPTIONS_SCRIPT], { cwd: dirname(configFile) });
    return JSON.parse(stdout) as ResolvedConfiguration;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    const why = (e.stderr ?? e.message).split('\n').find((l) => /Error|error/.test(l)) ?? e.message;
    throw new Error(
      `the Testing view cannot read ${configFile}: \`node -e "${LOAD_OPTIONS_SCRIPT}"\` in its folder fails (${why.trim()}); the extension then shows an empty tree`,
    );
  }
}

interface Pattern {
  glob: boolean;
  value: string;
  workspaceFolderRelativeGlob?: string;
}

/** Step 3: the files of the config's tree, workspace-relative, sorted. */
export function testFiles(
  root: string,
  configFile: string,
  config: ResolvedConfiguration,
  files = workspaceFiles(root),
): string[] {
  const cfgDir = dirname(configFile);
  const positional = config._ ?? ['./test/*.{js,cjs,mjs}'];
  const toPattern = (f: string, negate: boolean): Pattern => {
    const bang = negate ? '!' : '';
    if (isAbsolute(f)) return { glob: false, value: `${bang}${normalize(f)}` };
    return {
      glob: true,
      value: `${bang}${slashes(join(cfgDir, f))}`,
      workspaceFolderRelativeGlob: slashes(join(relative(root, cfgDir), f)),
    };
  };
  const patterns = [...positional.map((f) => toPattern(f, false)), ...(config.ignore ?? []).map((f) => toPattern(f, true))];
  const includes = (file: string) => {
    const path = slashes(file);
    let matched = false;
    for (const p of patterns) {
      const negated = p.value.startsWith('!');
      const value = negated ? p.value.slice(1) : p.value;
      if (p.glob ? minimatch(path, value) : value === normalize(path)) matched = !negated;
    }
    return matched;
  };
  const rough = patterns.filter((p) => !p.value.startsWith('!'));
  const found = new Set<string>();
  for (const p of rough) {
    if (!p.glob) found.add(p.value);
    else for (const f of files) if (minimatch(slashes(relative(root, f)), p.workspaceFolderRelativeGlob ?? '')) found.add(f);
  }
  return [...found]
    .filter(includes)
    .map((f) => slashes(relative(root, f)))
    .sort();
}
