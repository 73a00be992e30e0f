/**
 * `npm run test:ps`: the PowerShell tests. Installs PowerShell and Pester when missing (scripts/pwsh-tools.ts),
 * exports every script dev, prod, the longest configuration and prod at migration stages parallel and entra
 * generate (tools/generated-scripts.ts) to a temporary folder, and runs all PowerShell tests in ONE pwsh process
 * (test/powershell/run.ps1): PowerShell's parser over every script, then the Pester scenarios against stubs of the
 * Windows-only commands. pwsh starts and loads Pester while the configurations are synthesized. Its last line: `PowerShell: N passed, N failed`.
 *
 * Exit codes: those of run.ps1 (0 all passed, 1 a test failed); 3 PowerShell or Pester could not be installed.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generatedScripts, scriptFacts, writeManifest } from '../tools/generated-scripts';
import { FIXTURE_TENANT, maximalInput, prodAtStage } from '../test/config/fixtures';
import { synthObject, validate, variant } from '../test/helpers';
import { powerShellTools, PWSH_ENV, ToolError } from './pwsh-tools';

const ROOT = path.resolve(__dirname, '..');

/**
 * pwsh's temporary folder (TMPDIR, where Pester makes a TestDrive for every Describe and Context): a fresh folder
 * under the ignored `.tools/`, never the system's. PowerShell's FileSystem provider lists every folder above a
 * drive's root to find its cased path, so a TestDrive in a shared /tmp costs a listing of all of /tmp for each
 * block: with 17,000 entries there (a day of leftovers on a shared machine), 19,435 getdents calls for one test
 * file (strace), and the PowerShell tests' CPU time 167 s with the system's /tmp, 121 s with this (GNU time).
 */
function pwshTempDir(): string {
  fs.mkdirSync(path.join(ROOT, '.tools'), { recursive: true });
  return fs.mkdtempSync(path.join(ROOT, '.tools', 'tmp-'));
}

/**
 * Runs `fn` with V8's own stack formatting in place of source-map-support's, which ts-node installs: cdktf captures a
 * stack trace for every token it creates (Lazy, Intrinsic: `creationStack`), and mapping each frame through the source
 * maps made the syntheses here three times slower (the longest configuration 4.8 s, 1.7 s without; the same JSON).
 * V8 formats an error's stack when it is first read, after the hook is back: an error that escapes still names .ts lines.
 */
function withPlainStackTraces<T>(fn: () => T): T {
  const mapped = Error.prepareStackTrace;
  Reflect.deleteProperty(Error, 'prepareStackTrace');
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = mapped;
  }
}

function main(): void {
  let tools;
  try {
    tools = powerShellTools();
  } catch (e) {
    process.stderr.write(`[test:ps] ERROR: ${(e as Error).message}\n`);
    process.exit(e instanceof ToolError ? 3 : 1);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-ha-scripts-'));
  const temp = pwshTempDir();
  const manifest = path.join(dir, 'manifest.json');
  // `npm run test:ps -- AdfsFarm WebApplicationProxy`: only those test files, while working on them.
  const only = process.argv.slice(2);
  const args = ['-NoProfile', '-NonInteractive', '-File', path.join(ROOT, 'test', 'powershell', 'run.ps1'), '-Manifest', manifest, '-Pester', tools.pester];
  if (only.length > 0) args.push('-Only', only.join(','));
  const pwsh = spawn(tools.pwsh, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...PWSH_ENV, TMPDIR: temp },
  });
  const done = new Promise<number>((resolve) => pwsh.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  try {
    const started = Date.now();
    // prod also at the migration stages that deploy other scripts (the NPS servers', AD FS with Entra MFA), each under a
    // label of its own; its other scripts are the same text as prod's, and run once. At mfa-server, with the tenant a
    // step back from parallel leaves in the file (the undo of parallel).
    const configurations = [
      ['dev', variant('dev')],
      ['prod', variant('prod')],
      ['longest', maximalInput()],
      ['prod-parallel', prodAtStage('parallel')],
      // …with OVERRIDE_NUMBER_MATCHING_WITH_OTP set, so that its script is run too, and the AD FS tenant certificates
      // renewed (generation 2), so that the renewal's script runs too.
      ['prod-entra', prodAtStage('entra', (c) => ((c.nps.overrideNumberMatchingWithOtp = false), (c.migration.adfsCertificateGeneration = 2)))],
      ['prod-mfa-server', prodAtStage('mfa-server', (c) => (c.migration.tenantId = FIXTURE_TENANT))],
    ] as const;
    const environments = configurations.map(([, input]) => validate(input));
    const synthesized = withPlainStackTraces(() => configurations.map(([, input]) => synthObject(input)));
    const scripts = environments.flatMap((env, i) => generatedScripts(env, synthesized[i], configurations[i][0]));
    writeManifest(
      dir,
      environments.map((env, i) => scriptFacts(env, synthesized[i], configurations[i][0])),
      scripts,
    );
    const distinct = new Set(scripts.map((s) => s.text)).size;
    const perEnv = configurations.map(([label]) => `${label} ${scripts.filter((s) => s.env === label).length}`).join(', ');
    process.stderr.write(
      `[test:ps] ${scripts.length} generated scripts (${perEnv}; ${distinct} distinct) exported in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    fs.writeFileSync(`${manifest}.ready`, '');
  } catch (e) {
    pwsh.kill();
    for (const d of [dir, temp]) fs.rmSync(d, { recursive: true, force: true });
    throw e;
  }
  void done.then((code) => {
    for (const d of [dir, temp]) fs.rmSync(d, { recursive: true, force: true });
    process.exit(code);
  });
}

main();
