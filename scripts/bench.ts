/**
 * `npm run bench`: measures synth speed and memory on this machine and writes BENCHMARKS.md.
 * Wall time from the harness's clock, peak RSS from GNU time (`/usr/bin/time -f %M`), several runs each,
 * medians with min–max. Nothing here is a pass/fail test: the targets are printed next to the numbers.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { failureModelOf } from '../tools/failures/model';
import { failureRows, zoneDuringRingRows } from '../tools/failures/report';
import { readStack } from '../tools/terraform-json';
import { readJsonc } from '../tools/jsonc';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TIME = '/usr/bin/time';
const NOTES_MARKER = '<!-- notes: kept by npm run bench -->';

/** cpuSeconds: user + system time of the command and every child it waited for (GNU time %U + %S). */
interface Sample {
  readonly seconds: number;
  readonly peakMb: number;
  readonly cpuSeconds: number;
}
interface Result {
  readonly label: string;
  readonly samples: Sample[];
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stat = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
const t = (r: Result) => median(r.samples.map((s) => s.seconds));
const m = (r: Result) => median(r.samples.map((s) => s.peakMb));

/** Runs a command once under GNU time; returns its wall time, CPU time and peak RSS (the largest process of the tree). */
function once(cmd: string[], cwd: string, env: NodeJS.ProcessEnv): Sample {
  const report = path.join(os.tmpdir(), `bench-time-${process.pid}`);
  const start = process.hrtime.bigint();
  const run = spawnSync(TIME, ['-f', '%U %S %M', '-o', report, ...cmd], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${cmd.join(' ')} failed (${run.status}):\n${run.stderr}`);
  const [user, system, peakKb] = fs.readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, peakMb: peakKb / 1024, cpuSeconds: user + system };
}

function measure(label: string, cmd: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; runs?: number } = {}): Result {
  const runs = opts.runs ?? RUNS;
  log(`${label}: ${runs} runs…`);
  once(cmd, opts.cwd ?? ROOT, opts.env ?? {}); // warm the file cache
  const samples = Array.from({ length: runs }, () => once(cmd, opts.cwd ?? ROOT, opts.env ?? {}));
  const result = { label, samples };
  log(`${label}: ${t(result).toFixed(2)} s, ${m(result).toFixed(0)} MB`);
  return result;
}

/** The app compiled by tsc, run by plain node: the floor. */
function compiledApp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compiled-'));
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', dir], { cwd: ROOT, stdio: 'inherit' });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/**
 * The naive cdktf-template way: the same sources with every deep provider import rewritten to the
 * provider barrel, run by type-checking ts-node.
 */
function barrelApp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-barrel-'));
  // The stack reads the failure model (tools/failures/) for the Chaos Studio experiments' predictions.
  for (const sub of ['config', 'constructs', 'stacks', 'tools']) fs.cpSync(path.join(ROOT, sub), path.join(dir, sub), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'main.ts'), path.join(dir, 'main.ts'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const deep = /import \{ ([^}]+) \} from '(@cdktf\/provider-(?:azurerm|random))\/lib\/([a-z0-9-]+)';/g;
  let rewritten = 0;
  for (const file of listTs(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    const next = text.replace(deep, (_all, names: string, pkg: string, mod: string) => {
      rewritten++;
      const ns = `${camel(mod)}From${pkg.endsWith('random') ? 'Random' : 'Azurerm'}`;
      const aliases = names
        .split(',')
        .map((n) => n.trim())
        .map((n) => `import ${n} = ${ns}.${n};`);
      return `import { ${camel(mod)} as ${ns} } from '${pkg}';\n${aliases.join('\n')}`;
    });
    fs.writeFileSync(file, next);
  }
  if (rewritten === 0) throw new Error('no deep provider import found to rewrite');
  // tsconfig.json is JSON with comments, as TypeScript reads it.
  const tsconfig = readJsonc(path.join(ROOT, 'tsconfig.json')) as { include?: string[]; compilerOptions: { types?: string[] }; 'ts-node'?: unknown };
  tsconfig.include = ['main.ts', 'config/**/*.ts', 'constructs/**/*.ts', 'stacks/**/*.ts', 'tools/**/*.ts'];
  tsconfig.compilerOptions.types = ['node'];
  delete tsconfig['ts-node']; // ts-node's default: type-check every file
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  log(`barrel variant: ${rewritten} imports rewritten in ${dir}`);
  return dir;
}

function listTs(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.name === 'node_modules' ? [] : e.isDirectory() ? listTs(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );
}

/**
 * A directory of `count` copies of prod, each as another environment of the same directory would be: its own
 * name, vault, DNS names and secrets (unique across files, else refused) and address space (10.30.0.0/22 moved to
 * 10.(100 + i).0.0/22, else an overlap warning).
 */
function copiesOfProd(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-envs-${count}-`));
  const prodText = fs.readFileSync(path.join(ROOT, 'environments', 'prod.json'), 'utf8');
  for (let i = 1; i <= count; i++) {
    const name = `p${String(i).padStart(3, '0')}`;
    const copy = JSON.parse(prodText.replace(/"10\.30\./g, `"10.${100 + i}.`));
    copy.name = name;
    copy.keyVault.name = `kv-mfaha-${name}`;
    copy.dns = { mfaApp: `mfaapp.${name}.contoso.com`, portal: `mfa.${name}.contoso.com`, federationService: `sts.${name}.contoso.com` };
    // Environments never share a secret (config/uniqueness.ts): each copy reads secrets of its own name.
    const ownSecrets = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(ownSecrets);
      else if (value && typeof value === 'object') {
        const ref = value as { keyVaultResourceId?: unknown; secretName?: unknown };
        if (typeof ref.keyVaultResourceId === 'string' && typeof ref.secretName === 'string') ref.secretName = `${name}-${ref.secretName}`;
        Object.values(value).forEach(ownSecrets);
      }
    };
    ownSecrets(copy);
    delete copy.$schema;
    fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(copy));
  }
  return dir;
}

function row(r: Result): string {
  return `| ${r.label} | ${stat(
    r.samples.map((s) => s.seconds),
    2,
  )} | ${stat(
    r.samples.map((s) => s.peakMb),
    0,
  )} |`;
}

/** A row with the CPU time too: on a machine shared with other work, the tests' wall time says more of the hour than of the code. */
function cpuRow(r: Result): string {
  return `| ${r.label} | ${stat(
    r.samples.map((s) => s.cpuSeconds),
    1,
  )} | ${stat(
    r.samples.map((s) => s.seconds),
    2,
  )} | ${stat(
    r.samples.map((s) => s.peakMb),
    0,
  )} |`;
}

function main(): void {
  if (!fs.existsSync(TIME)) throw new Error(`${TIME} is missing: apt-get install -y time`);
  const out = (name: string) => path.join(os.tmpdir(), `bench-out-${name}`);
  const sections: string[] = [];
  const compiled = compiledApp();
  const barrel = barrelApp();

  sections.push('## 1. Synth of one environment: `npm run synth` vs compiled floor vs naive barrel\n');
  sections.push('| Command | Wall s, median (min–max) | Peak RSS MB, median (min–max) |\n|---|---|---|');
  const ratios: string[] = [];
  for (const env of ['dev', 'prod']) {
    const cfg = { MFA_HA_CONFIG: path.join(ROOT, 'environments', `${env}.json`), CDKTF_OUTDIR: out(env) };
    const a = measure(`(a) ${env}: npm run synth`, ['npm', 'run', '--silent', 'synth'], { env: cfg });
    const b = measure(`(b) ${env}: tsc-compiled app, node`, ['node', 'main.js'], { cwd: compiled, env: cfg });
    const c = measure(`(c) ${env}: barrel imports, type-checking ts-node`, ['node', path.join(ROOT, 'node_modules/.bin/ts-node'), 'main.ts'], {
      cwd: barrel,
      env: cfg,
      runs: Math.min(RUNS, 3),
    });
    sections.push(row(a), row(b), row(c));
    ratios.push(
      `- ${env}: (a)/(b) = ${(t(a) / t(b)).toFixed(2)} (target ≤ 2.5); (c)/(a) = ${(t(c) / t(a)).toFixed(1)} (target ≥ 8); (a) ${t(a).toFixed(2)} s / ${m(a).toFixed(0)} MB (target ≤ 1.5 s, ≤ 200 MB)`,
    );
  }
  sections.push('', 'Ratios of medians, from the same run:', '', ...ratios, '');

  sections.push('## 2. Scaling: copies of `prod` synthesized by one `npm run synth`\n');
  sections.push('| Environments | Wall s, median (min–max) | Peak RSS MB, median (min–max) | JSON per environment |\n|---|---|---|---|');
  const scale: { n: number; r: Result }[] = [];
  for (const n of [1, 10, 50]) {
    const dir = copiesOfProd(n);
    const r = measure(`${n} environments`, ['npm', 'run', '--silent', 'synth'], {
      env: { MFA_HA_CONFIG: dir, CDKTF_OUTDIR: out(`scale-${n}`) },
      runs: Math.min(RUNS, 3),
    });
    const sizes = fs.readdirSync(path.join(out(`scale-${n}`), 'stacks')).map((s) => fs.statSync(path.join(out(`scale-${n}`), 'stacks', s, 'cdk.tf.json')).size);
    scale.push({ n, r });
    sections.push(
      `| ${n} | ${stat(
        r.samples.map((s) => s.seconds),
        2,
      )} | ${stat(
        r.samples.map((s) => s.peakMb),
        0,
      )} | ${(median(sizes) / 1024).toFixed(0)} KiB |`,
    );
  }
  const [one, , fifty] = scale;
  sections.push(
    '',
    `Slope: ${(((t(fifty.r) - t(one.r)) / 49) * 1000).toFixed(0)} ms and ${((m(fifty.r) - m(one.r)) / 49).toFixed(1)} MB per added environment (from 1 to 50; targets: 50 environments ≤ 10 s, ≤ 150 ms per added environment, memory at most linear).`,
    '',
  );

  sections.push('## 3. The cdktf CLI against the app run directly (both environments)\n');
  sections.push('| Command | Wall s, median (min–max) | Peak RSS MB, median (min–max) |\n|---|---|---|');
  const both = { MFA_HA_CONFIG: path.join(ROOT, 'environments'), CHECKPOINT_DISABLE: '1' };
  sections.push(row(measure('npx cdktf synth', ['npx', 'cdktf', 'synth', '--output', out('cli')], { env: both, runs: Math.min(RUNS, 3) })));
  sections.push(row(measure('npm run synth', ['npm', 'run', '--silent', 'synth'], { env: { ...both, CDKTF_OUTDIR: out('direct') } })), '');

  sections.push('## 4. The failure analysis of prod\n');
  sections.push('| Command | Wall s, median (min–max) | Peak RSS MB, median (min–max) |\n|---|---|---|');
  const prodEnv = { MFA_HA_CONFIG: path.join(ROOT, 'environments', 'prod.json'), CDKTF_OUTDIR: out('prod') };
  sections.push(
    row(measure('npm run failures -- prod (every single failure and ring)', ['npm', 'run', '--silent', 'failures', '--', 'prod'], { env: prodEnv })),
  );
  sections.push(
    row(
      measure('npm run failures -- prod --with zone (each failure with each zone)', ['npm', 'run', '--silent', 'failures', '--', 'prod', '--with', 'zone'], {
        env: prodEnv,
      }),
    ),
  );
  // The analysis alone, in this process: reading the model and replaying every failure, and every zone during every ring.
  const stack = readStack(path.join(out('prod'), 'stacks', 'prod', 'cdk.tf.json'));
  const inProcess = Array.from({ length: 20 }, () => {
    const start = process.hrtime.bigint();
    const model = failureModelOf(stack);
    failureRows(model);
    zoneDuringRingRows(model);
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  const rows = failureRows(failureModelOf(stack)).length;
  sections.push(
    '',
    `The analysis alone (the model read from prod's \`cdk.tf.json\`, its ${rows} rows and the zone-during-ring pairs replayed), in-process, 20 runs: ${stat(inProcess, 0)} ms; the rest of the command's time is starting ts-node and loading the modules (target: a few seconds in all).`,
    '',
  );

  sections.push('## 5. Tests\n');
  const loadBefore = os.loadavg()[0];
  sections.push('| Command | CPU s (user + system), median (min–max) | Wall s, median (min–max) | Peak RSS MB, median (min–max) |\n|---|---|---|---|');
  sections.push(cpuRow(measure('npm run typecheck (tsc --noEmit)', ['npm', 'run', '--silent', 'typecheck'], { runs: Math.min(RUNS, 3) })));
  sections.push(
    cpuRow(measure('npm run test:ps (PowerShell: export, parser, Pester, one pwsh)', ['npm', 'run', '--silent', 'test:ps'], { runs: Math.min(RUNS, 2) })),
  );
  sections.push(
    cpuRow(measure('npm test (type-check, PowerShell tests and jest, started together)', ['npm', 'test', '--silent'], { runs: Math.min(RUNS, 2) })),
  );
  sections.push(
    '',
    `Load average (1 min) on the ${os.cpus().length} cores when the tests began: ${loadBefore.toFixed(1)}; when they ended: ${os.loadavg()[0].toFixed(1)}.`,
    '',
  );

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.type()} ${os.release()}.`,
    `Each command runs once to warm the file cache, then ${RUNS === 1 ? 'once more' : `${RUNS} times`} (at most 3 for the slow ones, at most 2 for the PowerShell tests and \`npm test\`). Wall time by the harness; CPU time (user + system, the command and its children) and peak RSS of the largest process by GNU time.`,
    '',
  ];
  // Notes below the marker (what was changed to meet the targets, with before/after numbers) are kept.
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const notes = previous.includes(NOTES_MARKER) ? previous.slice(previous.indexOf(NOTES_MARKER)) : `${NOTES_MARKER}\n`;
  fs.writeFileSync(file, [...header, ...sections, notes].join('\n'));
  log('wrote BENCHMARKS.md');
  for (const dir of [compiled, barrel]) fs.rmSync(dir, { recursive: true, force: true });
}

main();
