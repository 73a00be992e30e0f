/**
 * PowerShell and Pester for the PowerShell tests, pinned, in the ignored folder `.tools/` (as `npm run scan`
 * keeps checkov in `.venv/`). Installed from NuGet with the .NET SDK when missing:
 *   .tools/pwsh/pwsh                         `dotnet tool install --tool-path .tools/pwsh PowerShell --version 7.6.9`
 *   .tools/packages/pester/5.7.1/tools/...   `dotnet restore` of a project holding `<PackageDownload Include="Pester" …/>`
 * The first run says what it installs, one line each; later runs reuse it with one line.
 *
 * `MFA_HA_PWSH` names another pwsh instead (a hosted runner's own, say); it must be PowerShell 7.4 or later.
 *
 * Usage: npx ts-node scripts/pwsh-tools.ts   (prints the pwsh and Pester paths; `npm run test:ps` calls it itself)
 * Exit codes: 0 ready; 3 PowerShell or Pester could not be installed (no .NET SDK, no NuGet).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';

export const POWERSHELL_VERSION = '7.6.9';
/** Pester 5.7.1 imports and runs under PowerShell 7.6.9 (5.9.1 does too; under 6.2.0, 75 of the 274 tests fail). */
export const PESTER_VERSION = '5.7.1';
/** The oldest PowerShell a `MFA_HA_PWSH` may be: 7.4, the current LTS before 7.6. */
const OLDEST_PWSH = '7.4.0';

const ROOT = path.resolve(__dirname, '..');
const TOOLS = path.join(ROOT, '.tools');

/** Where the PowerShell tests find their tools. */
export interface PowerShellTools {
  readonly pwsh: string;
  readonly pwshVersion: string;
  /** Pester's module manifest, imported by path. */
  readonly pester: string;
}

/**
 * Environment of every pwsh the tests start: no telemetry, no update check, no banner; and neither .NET's
 * profile-guided re-JIT nor its background GC thread, which a run of under a minute pays for without gaining
 * (measured on 2 cores: the PowerShell tests' CPU time from 63 to 46 s, the same 274 results).
 */
export const PWSH_ENV = {
  DOTNET_TieredPGO: '0',
  DOTNET_gcConcurrent: '0',
  POWERSHELL_TELEMETRY_OPTOUT: '1',
  POWERSHELL_UPDATECHECK: 'Off',
  POWERSHELL_CLI_TELEMETRY_OPTOUT: '1',
  DOTNET_CLI_TELEMETRY_OPTOUT: '1',
  DOTNET_NOLOGO: '1',
};

class ToolError extends Error {}

const say = (line: string) => process.stderr.write(`[pwsh-tools] ${line}\n`);

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...PWSH_ENV } });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim() };
}

function versionOf(pwsh: string): string | undefined {
  const r = run(pwsh, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()']);
  return r.ok ? r.out.split('\n').pop()!.trim() : undefined;
}

function installPowerShell(): { pwsh: string; version: string; installed: boolean } {
  const override = process.env.MFA_HA_PWSH;
  if (override) {
    const version = versionOf(override);
    if (!version) throw new ToolError(`MFA_HA_PWSH=${override} does not run`);
    if (semver.lt(semver.coerce(version) ?? '0.0.0', OLDEST_PWSH))
      throw new ToolError(`MFA_HA_PWSH=${override} is PowerShell ${version}: 7.4 or later is needed`);
    return { pwsh: override, version, installed: false };
  }
  const dir = path.join(TOOLS, 'pwsh');
  const pwsh = path.join(dir, process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
  // The tool store names the installed version: no need to start pwsh to ask it.
  if (fs.existsSync(pwsh) && fs.existsSync(path.join(dir, '.store', 'powershell', POWERSHELL_VERSION)))
    return { pwsh, version: POWERSHELL_VERSION, installed: false };
  say(`installing PowerShell ${POWERSHELL_VERSION} into .tools/pwsh (dotnet tool install, NuGet; once, a minute or two)...`);
  fs.rmSync(dir, { recursive: true, force: true });
  const r = run('dotnet', ['tool', 'install', '--tool-path', dir, 'PowerShell', '--version', POWERSHELL_VERSION]);
  if (!r.ok) throw new ToolError(`could not install PowerShell ${POWERSHELL_VERSION} (is the .NET SDK installed and NuGet reachable?):\n${r.out}`);
  const version = versionOf(pwsh);
  if (version !== POWERSHELL_VERSION)
    throw new ToolError(`PowerShell ${POWERSHELL_VERSION} was installed but does not run (it may need another .NET runtime; set MFA_HA_PWSH to a pwsh ≥ 7.4)`);
  return { pwsh, version, installed: true };
}

function installPester(): { pester: string; installed: boolean } {
  const packages = path.join(TOOLS, 'packages');
  const pester = path.join(packages, 'pester', PESTER_VERSION, 'tools', 'Pester.psd1');
  if (fs.existsSync(pester)) return { pester, installed: false };
  say(`installing Pester ${PESTER_VERSION} into .tools/packages (dotnet restore of a PackageDownload, NuGet; once)...`);
  const project = path.join(TOOLS, 'pester-restore');
  fs.mkdirSync(project, { recursive: true });
  // PackageDownload fetches the package without referencing it, so any target framework will do.
  fs.writeFileSync(
    path.join(project, 'pester-restore.csproj'),
    [
      '<Project Sdk="Microsoft.NET.Sdk">',
      '  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>',
      `  <ItemGroup><PackageDownload Include="Pester" Version="[${PESTER_VERSION}]" /></ItemGroup>`,
      '</Project>',
      '',
    ].join('\n'),
  );
  const r = run('dotnet', ['restore', project, '--packages', packages]);
  if (!r.ok || !fs.existsSync(pester))
    throw new ToolError(`could not install Pester ${PESTER_VERSION} (is the .NET SDK installed and NuGet reachable?):\n${r.out}`);
  return { pester, installed: true };
}

/** PowerShell and Pester, installed when missing. Throws with one message when they cannot be. */
export function powerShellTools(): PowerShellTools {
  const shell = installPowerShell();
  const pester = installPester();
  if (!shell.installed && !pester.installed) {
    say(`reusing PowerShell ${shell.version} (${path.relative(ROOT, shell.pwsh) || shell.pwsh}) and Pester ${PESTER_VERSION} (.tools/packages)`);
  }
  return { pwsh: shell.pwsh, pwshVersion: shell.version, pester: pester.pester };
}

if (require.main === module) {
  try {
    const tools = powerShellTools();
    process.stdout.write(`${tools.pwsh}\n${tools.pester}\n`);
  } catch (e) {
    say(`ERROR: ${(e as Error).message}`);
    process.exit(e instanceof ToolError ? 3 : 1);
  }
}

export { ToolError };
