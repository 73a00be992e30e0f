/**
 * `npm run compat:cdktn [-- --keep]`: proves that the project, as it is in the working tree, synthesizes and
 * passes its checks on CDK Terrain (`cdktn`), the community fork of the archived CDK for Terraform.
 *
 * In a throwaway copy (tracked and untracked-but-not-ignored files) it swaps the packages
 * (tools/cdktn-migration.ts), installs them with `--engine-strict`, checks the installed tree, rewrites the
 * module specifiers and normalizes the two known snapshot differences (printed, and verified to change
 * nothing else), then runs the type-check, the synth of every environment (app and `cdktn synth`), the jest
 * suite and checkov. It compares each stack's cdktf and cdktn synth: a resource address that appears or
 * disappears fails the run; other differences are listed. The project's cdktf.out, node_modules, package files
 * and snapshots are fingerprinted before and after: the run fails if any changed.
 *
 * Exit codes: 0 passed; 1 a check failed; 3 it could not run (no node_modules, no Node.js ≥ 22.19 to be had).
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bindingChanges, blockTypesByProvider } from '../tools/binding-schema-diff';
import { bindingPinChanges, copyFiles, migratePackageFile, normalizeSnapshots, rewriteImports, workingTreeFiles } from '../tools/cdktn-copy';
import { CDKTN_NODE, isCdktfPackage, MigrationError, PACKAGE_SWAPS } from '../tools/cdktn-migration';
import { changedPaths, Depth, fingerprint, fingerprints } from '../tools/fingerprint';
import { NpmLsNode, resolutionProblems, treeProblems } from '../tools/installed-tree';
import { ensureNode, NodeUnavailableError } from '../tools/node-runtime';
import { compareSyntheses, failuresOf, StackDocument, summarizeStack } from '../tools/synth-diff';

const ROOT = path.resolve(__dirname, '..');
const CACHE = process.env.MFA_HA_TOOLS_CACHE ?? path.join(os.homedir(), '.cache', 'mfa-ha-cdktf');
const say = (line: string) => process.stdout.write(`[compat] ${line}\n`);
const indent = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

const phases: { name: string; seconds: number }[] = [];
const failures: string[] = [];
const fail = (line: string) => {
  failures.push(line);
  say(`FAILED: ${line}`);
};

/** Runs `body` as a timed phase: `name` in the summary, `title` in the log. */
/** The fields read from jest's `--json` report (jest's AggregatedResult). https://jestjs.io/docs/cli#--json */
interface JestJsonReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTodoTests: number;
  readonly numTotalTests: number;
  readonly numTotalTestSuites: number;
  readonly snapshot: { readonly matched: number; readonly unmatched: number; readonly added: number; readonly updated: number };
  readonly testResults: readonly { readonly assertionResults: readonly { readonly status: string; readonly fullName: string }[] }[];
}

function phase<T>(name: string, title: string, body: () => T): T {
  say(`${title}…`);
  const start = performance.now();
  try {
    return body();
  } finally {
    const seconds = (performance.now() - start) / 1000;
    phases.push({ name, seconds });
    say(`  ${name}: ${seconds.toFixed(1)}s`);
  }
}

/** The environment of a child process: this one's, without what npm or the user set for this project's own runs. */
function childEnv(pathPrefix?: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const drop = (k: string) => /^npm_/i.test(k) || ['NODE', 'INIT_CWD', 'MFA_HA_CONFIG', 'CDKTF_OUTDIR', 'TS_NODE_PROJECT'].includes(k);
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !drop(k)));
  if (pathPrefix) env.PATH = `${pathPrefix}${path.delimiter}${env.PATH ?? ''}`;
  return { ...env, CHECKPOINT_DISABLE: '1', ...extra };
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
}

/** Runs a command; on a non-zero exit records `what` as a failure with the command's output. */
function check(what: string, result: SpawnSyncReturns<string>): boolean {
  if (result.status === 0) return true;
  fail(`${what} (exit ${result.status ?? result.signal})`);
  process.stdout.write(`${indent(`${result.stdout ?? ''}\n${result.stderr ?? ''}`)}\n`);
  return false;
}

/** The synthesized stacks of an output directory, by name. */
function stacksIn(outdir: string): Map<string, StackDocument> {
  const dir = path.join(outdir, 'stacks');
  return new Map(
    fs
      .readdirSync(dir)
      .sort()
      .map((name) => [name, JSON.parse(fs.readFileSync(path.join(dir, name, 'cdk.tf.json'), 'utf8')) as StackDocument]),
  );
}

/** What the run must leave alone in the project: paths → how closely to fingerprint them. */
function guardedPaths(files: readonly string[]): Record<string, Depth> {
  const guarded: Record<string, Depth> = { [path.join(ROOT, 'node_modules')]: 'metadata' };
  for (const f of ['cdktf.out', 'package.json', 'package-lock.json']) guarded[path.join(ROOT, f)] = 'exact';
  for (const f of files.filter((f) => f.endsWith('.snap'))) guarded[path.join(ROOT, path.dirname(f))] = 'exact';
  return guarded;
}

/** Builds the CDK Terrain copy of `files` in `work` and runs every check; returns the exit code. */
function checkOnCdktn(files: readonly string[], work: string): number {
  const copy = path.join(work, 'project');
  try {
    const node = phase('node', 'Node.js for CDK Terrain', () => ensureNode(CDKTN_NODE.minimum, CDKTN_NODE.pinned, CACHE, say));
    const copyEnv = childEnv(node.binDir);
    // What every command in the copy (npm, npx, ts-node, jest: `#!/usr/bin/env node`) will run on.
    const onPath = run('node', ['--version'], ROOT, copyEnv).stdout.trim();
    say(`  Node.js ${node.version} from ${node.origin}; \`node\` in the copy: ${onPath}`);
    if (onPath !== node.version) fail(`the copy's PATH finds Node.js ${onPath}, not ${node.version}`);

    phase('copy', 'copy the working tree and swap the packages', () => {
      copyFiles(ROOT, copy, files);
      migratePackageFile(copy);
      // The copy is a git repository too: tests list the project's files with git.
      for (const args of [
        ['init', '-q'],
        ['add', '-A'],
      ])
        check(`git ${args[0]}`, run('git', args, copy, copyEnv));
    });
    say(`  ${files.length} files from ${ROOT} to ${copy}`);
    for (const s of PACKAGE_SWAPS) say(`  ${s.from} → ${s.to}@${s.version}`);

    const installed = phase('install', 'npm install --engine-strict in the copy', () =>
      run('npm', ['install', '--engine-strict', '--no-audit', '--no-fund'], copy, copyEnv),
    );
    if (!check('npm install of the CDK Terrain packages', installed)) return 1;

    phase('tree', 'check the installed tree (npm ls, module resolution)', () => {
      const ls = run('npm', ['ls', '--all', '--json'], copy, copyEnv);
      const exact = Object.fromEntries(PACKAGE_SWAPS.map((s) => [s.to, s.version]));
      const problems = [
        ...treeProblems(JSON.parse(ls.stdout) as NpmLsNode, { exact, forbidden: isCdktfPackage }),
        ...resolutionProblems(
          copy,
          'cdktn',
          PACKAGE_SWAPS.map((s) => s.to).filter((n) => n !== 'cdktn' && n !== 'constructs'),
        ),
        ...resolutionProblems(copy, 'constructs', ['cdktn']),
      ];
      for (const p of problems) fail(`installed tree: ${p}`);
      if (problems.length === 0)
        say(
          `  one version of each of ${Object.keys(exact).join(', ')}; every CDK Terrain package resolves the project's cdktn and constructs; no cdktf package installed`,
        );
    });

    phase('rewrite', 'rewrite the imports and normalize the snapshots', () => {
      const imports = rewriteImports(copy, files);
      say(`  ${imports.files.length} files: ${[...imports.packages].map(([s, n]) => `${s} ×${n}`).join(', ')}`);
      const pins = bindingPinChanges(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
      for (const report of normalizeSnapshots(copy, files, pins)) {
        say(`  ${report.file}: ${report.edits.length ? report.edits.map((e) => `${e.what} ×${e.count}`).join(', ') : 'unchanged'}`);
        for (const p of report.problems) fail(`snapshot normalization changed more than declared: ${report.file}: ${p}`);
      }
    });

    phase('typecheck', 'type-check (npm run typecheck)', () =>
      check('tsc --noEmit on CDK Terrain', run('npm', ['run', '--silent', 'typecheck'], copy, copyEnv)),
    );

    const [cdktfOut, cdktnOut, cliOut] = ['cdktf.out', 'cdktn.out', 'cdktn-cli.out'].map((d) => path.join(work, d));
    const synthesized = phase(
      'synth',
      'synthesize every environment: cdktf in the project, cdktn in the copy (npm run synth)',
      () =>
        check('npm run synth (cdktf)', run('npm', ['run', '--silent', 'synth'], ROOT, childEnv(undefined, { CDKTF_OUTDIR: cdktfOut }))) &&
        check('npm run synth (cdktn)', run('npm', ['run', '--silent', 'synth'], copy, childEnv(node.binDir, { CDKTF_OUTDIR: cdktnOut }))),
    );

    if (synthesized) {
      phase('cli', 'npx cdktn synth writes exactly what npm run synth wrote', () => {
        if (
          check('npx cdktn synth', run('npx', ['cdktn', 'synth', '--output', cliOut], copy, copyEnv)) &&
          fingerprint(cliOut, 'content') !== fingerprint(cdktnOut, 'content')
        ) {
          fail('npx cdktn synth and npm run synth wrote different files');
        }
      });
      phase('compare', 'compare the cdktf and the cdktn synth of each environment', () => {
        const comparison = compareSyntheses(stacksIn(cdktfOut), stacksIn(cdktnOut));
        for (const s of comparison.stacks) for (const line of summarizeStack(s)) say(`  ${line}`);
        for (const f of failuresOf(comparison)) fail(f);
      });
      phase('schema', 'arguments the newer bindings changed, for the block types the stacks use (listed, not failed)', () => {
        let unchanged = 0;
        for (const [provider, types] of blockTypesByProvider(stacksIn(cdktfOut).values())) {
          const swap = PACKAGE_SWAPS.find((s) => s.from === `@cdktf/provider-${provider}`);
          if (!swap) {
            say(`  ${provider}: no prebuilt binding swap declared for this provider`);
            continue;
          }
          for (const type of ['provider', ...types]) {
            const changes = bindingChanges(path.join(ROOT, 'node_modules', swap.from), path.join(copy, 'node_modules', swap.to), provider, type);
            const label = type === 'provider' ? `provider ${provider}` : type;
            if (changes === undefined) say(`  ${label}: not found in both bindings`);
            else if (changes.length === 0) unchanged++;
            else say(`  ${label}: ${changes.map((c) => `${c.argument} ${c.change}`).join(', ')}`);
          }
        }
        say(`  ${unchanged} other block types: no argument added, removed or made optional/required`);
      });
    }

    phase('jest', 'jest, the whole suite (--ci: snapshots are compared, never written)', () => {
      const report = path.join(work, 'jest.json');
      const jest = run('npx', ['jest', '--ci', '--json', `--outputFile=${report}`], copy, copyEnv);
      if (!fs.existsSync(report)) return check('jest', jest);
      const r = JSON.parse(fs.readFileSync(report, 'utf8')) as JestJsonReport;
      const skipped = r.testResults.flatMap((f) =>
        f.assertionResults.filter((a) => a.status !== 'passed' && a.status !== 'failed').map((a) => `${a.status}: ${a.fullName}`),
      );
      say(
        `  ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped of ${r.numTotalTests} tests in ${r.numTotalTestSuites} suites; snapshots: ${r.snapshot.matched} matched, ${r.snapshot.unmatched} unmatched, ${r.snapshot.added} written`,
      );
      for (const s of skipped) say(`    ${s}`);
      if (r.snapshot.added + r.snapshot.updated > 0) fail('jest wrote snapshots');
      return check('jest on CDK Terrain', jest);
    });

    if (synthesized) {
      phase('checkov', 'checkov on the cdktn synth (scripts/scan.sh)', () => {
        // Reuse the project's checkov: scan.sh installs it into <copy>/.venv otherwise (about a minute).
        if (fs.existsSync(path.join(ROOT, '.venv'))) fs.symlinkSync(path.join(ROOT, '.venv'), path.join(copy, '.venv'));
        else say('  the project has no .venv: checkov is installed into the copy (npm run scan in the project keeps one)');
        const stacks = fs.readdirSync(path.join(cdktnOut, 'stacks')).map((s) => path.join(cdktnOut, 'stacks', s));
        const scan = run('bash', ['scripts/scan.sh', ...stacks], copy, copyEnv);
        process.stdout.write(indent(scan.stdout) + '\n');
        // scan.sh exits 3 when it cannot install checkov (no PyPI): that is a check not run, never one passed.
        if (scan.status === 3) say('  checkov: NOT RUN on the cdktn synth (scan.sh could not install it; it runs where PyPI is reachable)');
        else if (scan.status !== 0) check('checkov on the cdktn synth', scan);
      });
    }
    return failures.length === 0 ? 0 : 1;
  } catch (e) {
    if (e instanceof NodeUnavailableError) {
      say(`error: ${e.message}`);
      return 3;
    }
    if (e instanceof MigrationError) {
      fail(e.message);
      return 1;
    }
    throw e;
  }
}

function main(): number {
  const started = performance.now();
  if (!fs.existsSync(path.join(ROOT, 'node_modules', 'cdktf'))) {
    say('error: the project is not installed (node_modules/cdktf is missing): run npm ci first');
    return 3;
  }
  const files = workingTreeFiles(ROOT);
  const guarded = guardedPaths(files);
  const before = fingerprints(guarded);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-ha-cdktn-'));
  let code: number;
  try {
    code = checkOnCdktn(files, work);
  } finally {
    const touched = changedPaths(before, fingerprints(guarded));
    for (const p of touched) fail(`${path.relative(ROOT, p)} of the project changed during the run`);
    if (touched.length === 0)
      say(
        `untouched: ${Object.keys(guarded)
          .map((p) => path.relative(ROOT, p))
          .join(', ')}`,
      );
    if (process.argv.includes('--keep')) say(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
    const total = (performance.now() - started) / 1000;
    say(`phases: ${phases.map((p) => `${p.name} ${p.seconds.toFixed(1)}s`).join(', ')}`);
    say(failures.length === 0 ? `PASSED in ${total.toFixed(1)}s` : `FAILED in ${total.toFixed(1)}s: ${failures.length} problem(s), listed above`);
  }
  return code === 0 && failures.length > 0 ? 1 : code;
}

process.exitCode = main();
