import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import MarkdownIt from 'markdown-it';
import ts from 'typescript';
import { chapterPickOptions, PICK_LIST_FILES, syncChapterPickList } from '../../lib/chapters/pick-lists.ts';
import { CHAPTERS, checkPath, markdownPath } from '../../lib/chapters/registry.ts';
import { ROOT } from '../../lib/paths.ts';
import { configFiles, resolveConfiguration, testFiles, workspaceFiles } from '../support/mocha-vscode.ts';

/**
 * The .vscode folder: tasks run npm scripts that exist, launch configurations point at files
 * that exist, the chapter pick lists are the registry's, the problem matchers match real
 * output, and the Testing view lists the unit tests and the checks without touching a machine.
 */
const run = promisify(execFile);
const MOCHA = `${ROOT}/node_modules/mocha/bin/mocha.js`;

/** JSON with comments and trailing commas, as VS Code reads its own files. */
function readJsonc<T>(file: string): T {
  const { config, error } = ts.parseConfigFileTextToJson(file, readFileSync(`${ROOT}/${file}`, 'utf8'));
  if (error) assert.fail(`${file}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  return config as T;
}

interface Matcher {
  owner?: string;
  severity?: string;
  pattern: { regexp: string; [group: string]: string | number } | { regexp: string; [group: string]: string | number }[];
  background?: { beginsPattern: string; endsPattern: string };
}
interface Task {
  label: string;
  command: string;
  isBackground?: boolean;
  problemMatcher?: (string | Matcher)[];
}
interface PickInput {
  id: string;
  type: string;
  default?: string;
  options: ({ label: string; value: string } | string)[];
}
interface LaunchConfig {
  name: string;
  program?: string;
  args?: string[];
  runtimeArgs?: string[];
}

const tasks = () => readJsonc<{ tasks: Task[]; inputs?: PickInput[] }>('.vscode/tasks.json');
const launch = () => readJsonc<{ configurations: LaunchConfig[]; inputs?: PickInput[] }>('.vscode/launch.json');
const scripts = () => (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
const matchers = (label: string) => (tasks().tasks.find((t) => t.label === label)?.problemMatcher ?? []) as Matcher[];
const patterns = (m: Matcher) => (Array.isArray(m.pattern) ? m.pattern : [m.pattern]);

/** What a VS Code problem matcher makes of some output: one problem per match of its pattern lines. */
function problems(m: Matcher, output: string): Record<string, string>[] {
  const lines = output.split('\n');
  const steps = patterns(m);
  const found: Record<string, string>[] = [];
  for (let i = 0; i + steps.length <= lines.length; i++) {
    const problem: Record<string, string> = {};
    const ok = steps.every((step, k) => {
      const match = new RegExp(step.regexp).exec(lines[i + k]);
      if (!match) return false;
      for (const [key, group] of Object.entries(step)) if (typeof group === 'number') problem[key] = match[group];
      return true;
    });
    if (ok) found.push(problem);
  }
  return found;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: VS Code's variable, not a template
const WORKSPACE_FOLDER = '${workspaceFolder}';
const workspacePath = (value: string) => value.replaceAll(WORKSPACE_FOLDER, ROOT);

describe('.vscode', () => {
  it('every file parses (comments allowed, as in VS Code)', () => {
    for (const file of ['tasks.json', 'launch.json', 'settings.json', 'extensions.json']) readJsonc(`.vscode/${file}`);
  });

  describe('tasks.json', () => {
    it('every task runs an npm script that package.json has', () => {
      for (const task of tasks().tasks) {
        const used = [...task.command.matchAll(/\bnpm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]);
        assert.ok(used.length > 0, `"${task.label}" does not run an npm script: ${task.command}`);
        for (const script of used)
          assert.ok(script in scripts(), `"${task.label}" runs npm run ${script}, which package.json does not have`);
      }
    });

    it('has the tasks a workshop needs; "Serve site" runs in the background', () => {
      const labels = tasks().tasks.map((t) => t.label);
      for (const label of ['Run chapter…', 'Check chapter…', 'Lab up', 'Lab down', 'Build site', 'Serve site', 'Lint']) {
        assert.ok(labels.includes(label), `no task "${label}"`);
      }
      assert.equal(tasks().tasks.find((t) => t.label === 'Serve site')?.isBackground, true);
    });

    it('every input variable a task or launch configuration uses is defined', () => {
      for (const [file, json] of [
        ['tasks.json', tasks()],
        ['launch.json', launch()],
      ] as const) {
        const defined = new Set((json.inputs ?? []).map((i) => i.id));
        for (const m of JSON.stringify(json).matchAll(/\$\{input:([\w-]+)\}/g))
          assert.ok(defined.has(m[1]), `${file}: no input "${m[1]}"`);
      }
    });
  });

  describe('the chapter pick lists', () => {
    const expected = chapterPickOptions();
    it('`npm run sync-chapters` rewrites a stale pick list from the registry, and keeps the rest of the file', () => {
      for (const file of PICK_LIST_FILES) {
        const text = readFileSync(`${ROOT}/${file}`, 'utf8');
        assert.equal(syncChapterPickList(text), text, `${file}: run \`npm run sync-chapters\``);
        const stale = text.replace(/^\s*\{ "label": "16\.[^\n]*\n/m, '');
        assert.notEqual(stale, text);
        assert.equal(syncChapterPickList(stale), text);
      }
    });
    for (const [file, read] of [
      ['tasks.json', tasks],
      ['launch.json', launch],
    ] as const) {
      it(`in ${file} are lib/chapters/registry.ts, in order, then "all"`, () => {
        const input = read().inputs?.find((i) => i.id === 'chapter');
        assert.ok(input, `${file} has no "chapter" input`);
        assert.deepEqual(
          input.options,
          expected,
          `.vscode/${file} and the registry differ; the "options" of the "chapter" input should be:\n${JSON.stringify(expected)}`,
        );
        assert.ok(
          expected.some((o) => o.value === input.default),
          `default "${input.default}" is not one of the options`,
        );
      });
    }
  });

  describe('launch.json', () => {
    it('every program and every file it names exists', () => {
      for (const config of launch().configurations) {
        assert.ok(config.program, `"${config.name}" has no program`);
        for (const value of [config.program, ...(config.args ?? []), ...(config.runtimeArgs ?? [])]) {
          if (!value.includes(WORKSPACE_FOLDER)) continue;
          assert.ok(existsSync(workspacePath(value)), `"${config.name}": ${value} does not exist`);
        }
      }
    });

    it('runs TypeScript through tsx: directly, or through a mocha config that imports it', () => {
      for (const config of launch().configurations) {
        const program = workspacePath(config.program ?? '');
        if (program.endsWith('.ts')) {
          assert.deepEqual(config.runtimeArgs, ['--import', 'tsx'], `"${config.name}" runs ${config.program} without tsx`);
          continue;
        }
        const args = config.args ?? [];
        const mocharc = args[args.indexOf('--config') + 1];
        assert.ok(args.includes('--config') && mocharc, `"${config.name}" runs mocha without --config`);
        const rc = JSON.parse(readFileSync(workspacePath(mocharc), 'utf8')) as { 'node-option'?: string[] };
        assert.ok(rc['node-option']?.includes('import=tsx'), `${mocharc} does not import tsx`);
      }
    });
  });

  describe('problem matchers, on real output', () => {
    it('Check chapter… points at the failing line of a check', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vscode-matcher-'));
      try {
        const file = join(dir, 'checks', '99-failing.check.ts');
        await run('mkdir', ['-p', dirname(file)]);
        writeFileSync(
          file,
          "import assert from 'node:assert/strict';\n\ndescribe('x', () => {\n  it('fails', () => {\n    assert.equal(1, 2);\n  });\n});\n",
        );
        const output = await run(process.execPath, [MOCHA, '--config', `${ROOT}/checks/.mocharc.json`, file], { cwd: ROOT }).then(
          () => assert.fail('the failing check passed'),
          (e: { stdout: string }) => e.stdout,
        );
        const [matcher] = matchers('Check chapter…');
        const found = problems(matcher, output);
        assert.ok(
          found.some((p) => p.file.endsWith('checks/99-failing.check.ts') && p.line === '5'),
          `no problem at line 5 in:\n${output}`,
        );
        // Inside the repository mocha prints paths relative to it.
        assert.deepEqual(problems(matcher, '      at Context.<anonymous> (checks/07-start-patroni.check.ts:17:12)'), [
          {
            message: 'at Context.<anonymous> (checks/07-start-patroni.check.ts:17:12)',
            file: 'checks/07-start-patroni.check.ts',
            line: '17',
            column: '12',
          },
        ]);
        assert.deepEqual(problems(matcher, '      at waitFor (lib/clients/wait.ts:24:13)'), [], 'only the check, not lib/');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('Lint turns biome findings into problems, errors and warnings apart', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vscode-biome-'));
      try {
        writeFileSync(join(dir, 'bad.ts'), 'let a = 1;\nconsole.log(a);\nconst b = a == 2;\nconsole.log(b);\n');
        const output = await run(
          `${ROOT}/node_modules/.bin/biome`,
          ['lint', '--colors=off', '--config-path', `${ROOT}/biome.json`, join(dir, 'bad.ts')],
          { cwd: ROOT },
        ).then(
          () => assert.fail('biome found nothing'),
          (e: { stdout: string; stderr: string }) => e.stdout + e.stderr,
        );
        const biome = matchers('Lint').filter((m) => typeof m === 'object' && m.owner === 'workbook-biome');
        const bySeverity: Record<string, Record<string, string>[]> = Object.fromEntries(
          biome.map((m) => [m.severity ?? '', problems(m, output)]),
        );
        assert.deepEqual(
          bySeverity.error.map((p) => [p.line, p.column, p.code]),
          [['3', '13', 'lint/suspicious/noDoubleEquals']],
          output,
        );
        assert.deepEqual(
          bySeverity.warning.map((p) => [p.line, p.column, p.code]),
          [['1', '1', 'lint/style/useConst']],
          output,
        );
        assert.match(bySeverity.error[0].message, /Using == may be unsafe/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('Build site and Serve site turn site warnings into problems; Serve site knows when a rebuild ends', () => {
      const warning =
        'warning: chapters/07-start-patroni.md: link to "x.md" does not point at a chapter: it will not resolve on the site';
      for (const label of ['Build site', 'Serve site']) {
        const [matcher] = matchers(label);
        assert.deepEqual(
          problems(matcher, warning).map((p) => p.file),
          ['chapters/07-start-patroni.md'],
          label,
        );
      }
      const [serve] = matchers('Serve site');
      assert.ok(serve.background, 'Serve site has no background patterns');
      for (const prefix of ['serving ', 'rebuilt ', 'rebuild failed: '])
        assert.match(prefix, new RegExp(serve.background.endsPattern));
      assert.match('changed: chapters/07-start-patroni.md', new RegExp(serve.background.beginsPattern));
      // The lines those patterns wait for are printed by lib/cli/site-serve.ts.
      const serveCli = `${ROOT}/lib/cli/site-serve.ts`;
      const source = existsSync(serveCli) ? readFileSync(serveCli, 'utf8') : '';
      for (const prefix of ['serving ', 'rebuilt ', 'rebuild failed: ', 'changed: ']) {
        assert.ok(!source || source.includes(`\`${prefix}`), `lib/cli/site-serve.ts no longer prints "${prefix}…"`);
      }
    });
  });

  describe('Testing view (coderline.mocha-vscode: one tree per .mocharc file, found and read as the extension does)', () => {
    // test/support/mocha-vscode.ts does what the extension's source does, step by step.
    const files = workspaceFiles(ROOT);
    const configs = configFiles(ROOT, files).map((f) => f.slice(ROOT.length + 1));
    const unit = readdirSync(`${ROOT}/test/unit`, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `test/unit/${f}`)
      .sort();
    const checks = CHAPTERS.map((c) => checkPath(c).slice(ROOT.length + 1)).sort();
    /** The tree each config file should give; every other config file gives none, on purpose. */
    const expected: Record<string, string[]> = { '.mocharc.json': unit, 'test/checks/.mocharc.cjs': checks };

    it('finds the config files the extension finds (package.json has no "mocha" section)', () => {
      for (const config of Object.keys(expected)) assert.ok(configs.includes(config), `${config} is not found`);
      assert.ok(!configs.includes('package.json'));
    });

    for (const config of configs) {
      it(`${config}: mocha's options load by \`import {loadOptions} from 'mocha/lib/cli/options.js'\` in its folder, and the tree lists ${expected[config] ? 'its files' : 'nothing'}`, async function () {
        this.timeout(20000);
        const options = await resolveConfiguration(`${ROOT}/${config}`);
        assert.deepEqual(testFiles(ROOT, `${ROOT}/${config}`, options, files), expected[config] ?? []);
      });
    }

    it('the probe fails, saying why, when mocha has no lib/cli/options.js (mocha 12 ships options.cjs)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mocha-vscode-'));
      try {
        const mocha = join(dir, 'node_modules', 'mocha');
        await run('mkdir', ['-p', join(mocha, 'lib', 'cli')]);
        writeFileSync(join(mocha, 'package.json'), '{"name":"mocha","version":"12.0.0","type":"module"}\n');
        writeFileSync(join(mocha, 'lib', 'cli', 'options.cjs'), 'exports.loadOptions = () => ({ _: [] });\n');
        writeFileSync(join(dir, '.mocharc.json'), '{"spec":["test/*.test.js"]}\n');
        await assert.rejects(
          resolveConfiguration(join(dir, '.mocharc.json')),
          /cannot read .*ERR_MODULE_NOT_FOUND|Cannot find module/,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('test/checks/.mocharc.cjs has the options of checks/.mocharc.json (what `npm run check` uses)', async () => {
      const { spec, ...options } = (await import(`${ROOT}/test/checks/.mocharc.cjs`)).default as Record<string, unknown>;
      assert.ok(spec);
      assert.deepEqual(options, JSON.parse(readFileSync(`${ROOT}/checks/.mocharc.json`, 'utf8')));
    });

    it('listing the checks starts no process and opens no connection (mocha --dry-run, as the extension lists)', async function () {
      this.timeout(60000);
      const { stdout } = await run(
        process.execPath,
        [MOCHA, '--dry-run', '--reporter', 'json', '--require', `${ROOT}/test/unit/fixtures/offline-guard.ts`],
        { cwd: `${ROOT}/test/checks`, maxBuffer: 16 << 20 },
      );
      const report = JSON.parse(stdout) as { tests: { file: string; fullTitle: string }[] };
      for (const c of CHAPTERS) {
        assert.ok(
          report.tests.some((t) => t.file === checkPath(c)),
          `no test of ${checkPath(c)} listed`,
        );
      }
    });

    it("each chapter's check is one node there that runs all of it: a top-level describe with a literal title", async function () {
      this.timeout(60000);
      // The Testing view lists from the syntax tree (settings.json): only literal titles show, and
      // running a suite runs every test whose full title starts with the suite's.
      const { stdout } = await run(process.execPath, [MOCHA, '--dry-run', '--reporter', 'json'], {
        cwd: `${ROOT}/test/checks`,
        maxBuffer: 16 << 20,
      });
      const tests = (JSON.parse(stdout) as { tests: { file: string; fullTitle: string }[] }).tests;
      for (const c of CHAPTERS) {
        const source = ts.createSourceFile(checkPath(c), readFileSync(checkPath(c), 'utf8'), ts.ScriptTarget.Latest);
        const titles = source.statements.flatMap((st) => {
          const call = ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) ? st.expression : undefined;
          const arg =
            call && ts.isIdentifier(call.expression) && call.expression.text === 'describe' ? call.arguments[0] : undefined;
          return arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? [arg.text] : [];
        });
        assert.equal(
          titles.length,
          1,
          `${checkPath(c)}: one top-level describe('…') with a literal title, found ${titles.length}`,
        );
        for (const t of tests.filter((t) => t.file === checkPath(c))) {
          assert.ok(t.fullTitle.startsWith(`${titles[0]} `), `${checkPath(c)}: "${t.fullTitle}" is outside "${titles[0]}"`);
        }
      }
    });
  });

  describe("chapters in VS Code's markdown preview (markdown-it with HTML on, as the preview renders)", () => {
    const md = new MarkdownIt({ html: true, linkify: true });
    for (const chapter of CHAPTERS) {
      it(`${chapter.number}: every include is an invisible comment around a fenced block; no other HTML shows`, function () {
        // The one visible HTML a chapter may hold: a review question's answer, folded away in
        // <details> (GitHub and VS Code's preview render it as a disclosure).
        const FOLD = /^(<details>\n<summary>Answer<\/summary>|<\/details>)\s*$/;
        if (!existsSync(markdownPath(chapter))) this.skip(); // test/unit/chapters.test.ts reports it missing
        const tokens = md.parse(readFileSync(markdownPath(chapter), 'utf8'), {});
        const html = tokens.filter((t) => (t.type === 'html_block' || t.type === 'html_inline') && !FOLD.test(t.content));
        for (const t of html) {
          assert.equal(
            t.content.replace(/<!--[\s\S]*?-->/g, '').trim(),
            '',
            `HTML shows in the preview: ${t.content.slice(0, 120)}`,
          );
        }
        tokens.forEach((t, i) => {
          const spec = /^<!-- include: (.+?) -->\s*$/.exec(t.type === 'html_block' ? t.content : '')?.[1];
          if (!spec) return;
          assert.equal(tokens[i + 1]?.type, 'fence', `${spec}: the copy is not a fenced code block in the preview`);
          assert.match(
            tokens[i + 2]?.content ?? '',
            /^<!-- \/include -->/,
            `${spec}: the code block does not end at <!-- /include -->`,
          );
        });
      });
    }
  });
});
