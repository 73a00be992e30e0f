import { PsFunction, psQuote } from './powershell';

/*
 * What the hardening scripts (./hardening.ts, ./extranet-lockout.ts, ./laps.ts) read and note on a server: registry
 * values set only when they differ, the boot Windows runs, their own notes between runs, and whether the server serves.
 */

/** Where the scripts note what must survive a run: the restart a run asked for, the lockout mode AD FS started with. */
export const HARDENING_STATE_KEY = 'HKLM:\\SOFTWARE\\MFA-HA\\Hardening';

/**
 * `Set-RegistryDword -Path -Name -Value [-BeforeChange {…}]`: sets a DWORD unless it already has that value; true when
 * it changed. -BeforeChange runs first when it will, so that what a change owes (a restart) is noted before it.
 */
export const SET_REGISTRY_DWORD: PsFunction = {
  name: 'Set-RegistryDword',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)][string]$Name, [Parameter(Mandatory = $true)][int]$Value, [scriptblock]$BeforeChange)',
    '$current = Get-ItemProperty -Path $Path -Name $Name -ErrorAction SilentlyContinue',
    'if ($null -ne $current -and $current.$Name -eq $Value) { return $false }',
    'if ($null -ne $BeforeChange) { & $BeforeChange }',
    'if (-not (Test-Path -Path $Path)) { New-Item -Path $Path -Force | Out-Null }',
    "New-ItemProperty -Path $Path -Name $Name -Value $Value -PropertyType 'DWord' -Force | Out-Null",
    'return $true',
  ],
};

/** `Get-BootTime`: when Windows last started, in UTC, as a round-trip string (two reads of one boot are equal). */
export const GET_BOOT_TIME: PsFunction = {
  name: 'Get-BootTime',
  lines: ["return (Get-CimInstance -ClassName 'Win32_OperatingSystem').LastBootUpTime.ToUniversalTime().ToString('o')"],
};

/** `Get-StateValue -Name`: a value the scripts noted under HARDENING_STATE_KEY, or $null. */
export const GET_STATE_VALUE: PsFunction = {
  name: 'Get-StateValue',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Name)',
    `$item = Get-ItemProperty -Path ${psQuote(HARDENING_STATE_KEY)} -Name $Name -ErrorAction SilentlyContinue`,
    'if ($null -eq $item) { return $null }',
    'return [string]$item.$Name',
  ],
};

/** `Set-StateValue -Name -Value`: notes a value under HARDENING_STATE_KEY. */
export const SET_STATE_VALUE: PsFunction = {
  name: 'Set-StateValue',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Name, [Parameter(Mandatory = $true)][string]$Value)',
    `if (-not (Test-Path -Path ${psQuote(HARDENING_STATE_KEY)})) { New-Item -Path ${psQuote(HARDENING_STATE_KEY)} -Force | Out-Null }`,
    `New-ItemProperty -Path ${psQuote(HARDENING_STATE_KEY)} -Name $Name -Value $Value -PropertyType 'String' -Force | Out-Null`,
  ],
};

/**
 * `Request-Restart`: notes, before a change that takes effect after a restart, that this boot owes one. A run that
 * fails after the change leaves the restart owed, and the next run schedules it, whatever it finds left to change.
 */
export const REQUEST_RESTART: PsFunction = {
  name: 'Request-Restart',
  lines: [
    // Once a run: the first change notes it.
    "if ($null -ne (Get-Variable -Name 'restartNoted' -Scope Script -ErrorAction SilentlyContinue)) { return }",
    '$boot = Get-BootTime',
    "if ((Get-StateValue -Name 'RestartRequestedFromBoot') -ne $boot) { Set-StateValue -Name 'RestartRequestedFromBoot' -Value $boot }",
    '$script:restartNoted = $true',
  ],
};

/** True when this boot owes a restart a change asked for. */
export const RESTART_OWED = "((Get-StateValue -Name 'RestartRequestedFromBoot') -eq (Get-BootTime))";

/** What "serving again" means for a server: its load balancer's probe, asked locally, and the service behind it. */
export interface ServingCheck {
  /** The Windows service that serves: `adfssrv`, `appproxysvc`, `W3SVC`. */
  readonly service: string;
  /** The probe: HTTP GET of `path` on `port` (200 expected), or a TCP connect to `port`. */
  readonly probe?: { readonly port: number; readonly path?: string };
}

/** The lines that wait until the server serves again: bounded attempts, so that a server that never does fails the step. */
export function waitUntilServing(serving: ServingCheck, attempts: number): string[] {
  const probe = serving.probe;
  const answers =
    probe === undefined
      ? '$true'
      : probe.path !== undefined
        ? `(Invoke-WebRequest -Uri ${psQuote(`http://localhost:${probe.port}${probe.path}`)} -UseBasicParsing -TimeoutSec 10).StatusCode -eq 200`
        : `Test-NetConnection -ComputerName 'localhost' -Port ${probe.port} -InformationLevel 'Quiet'`;
  const what =
    probe === undefined
      ? serving.service
      : `${serving.service} and ${probe.path !== undefined ? `http://localhost:${probe.port}${probe.path}` : `TCP ${probe.port}`}`;
  return [
    '$serving = $false',
    `for ($attempt = 1; $attempt -le ${attempts} -and -not $serving; $attempt++) {`,
    `  $service = Get-Service -Name ${psQuote(serving.service)} -ErrorAction SilentlyContinue`,
    `  $serving = $null -ne $service -and [string]$service.Status -eq 'Running' -and $(try { ${answers} } catch { $false })`,
    '  if (-not $serving) { Start-Sleep -Seconds 10 }',
    '}',
    `if (-not $serving) { throw ${psQuote(`${what} did not answer within ${(attempts * 10) / 60} minutes: the deployment stops here, before another server of the tier restarts`)} }`,
    `Write-Step ${psQuote(`${what} answer`)}`,
  ];
}
