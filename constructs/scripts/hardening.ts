import * as crypto from 'crypto';
import { EXTRANET_LOCKOUT_MODES } from '../../config/hardening-schema';
import { PsFunction, PsStep, psArray, psQuote, renderScript, RenderedScript } from './powershell';

/*
 * The hardening the toolkit owns on its servers, as Run Command scripts (issue 29, item 5). None needs a secret:
 * they run as SYSTEM, change only the server they run on (and, for the extranet lockout, the farm from its WID
 * primary), and check and report the steps that need a domain administrator instead of guessing.
 *   - server-hardening: SCHANNEL protocols, weak cipher suites and .NET strong cryptography on every AD FS, WAP, MFA
 *     and portal server; on AD FS, the audit policy and the service restart the extranet lockout mode needs. When
 *     something changed that takes a restart, it schedules one (shutdown /r /t 60) and exits.
 *   - hardening-restart-check: after the restart, that it happened and that the server serves again (its load
 *     balancer's probe, locally), before the next server of the tier starts (constructs/server-hardening.ts).
 *   - extranet-lockout: Extranet Smart Lockout on the WID primary.
 *   - windows-laps: the Windows LAPS policy on a domain-joined server, and the domain's preconditions reported.
 */

/** Where the scripts note what must survive a run: the restart a run asked for, the lockout mode AD FS started with. */
export const HARDENING_STATE_KEY = 'HKLM:\\SOFTWARE\\MFA-HA\\Hardening';

/**
 * Protocols off, as servers and as clients: SSL 3.0, TLS 1.0 and TLS 1.1 ("Manage SSL/TLS protocols and cipher suites
 * for AD FS", learn.microsoft.com/windows-server/identity/ad-fs/operations/manage-ssl-protocols-in-ad-fs: Enabled 0,
 * DisabledByDefault 1 under each protocol's Server and Client keys), and SSL 2.0 the same way ("Transport Layer
 * Security (TLS) registry settings", learn.microsoft.com/windows-server/security/tls/tls-registry-settings). TLS 1.2
 * (and 1.3 where Windows has it) stays as Windows ships it: on.
 */
export const DISABLED_PROTOCOLS = ['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1'] as const;
const SCHANNEL_PROTOCOLS = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols';

/**
 * Cipher suites turned off, by a part of their IANA name: RC4 (RFC 7465 forbids it in TLS), 3DES and DES (64-bit
 * blocks), NULL (no encryption), EXPORT (40- and 56-bit keys) and MD5. The AD FS page says cipher suites are not
 * managed through the registry but with PowerShell (Disable-TlsCipherSuite), MDM or cipher suite ordering; whatever
 * else Windows enables stays, in its order.
 */
export const WEAK_CIPHER_SUITE_PARTS = ['RC4', '3DES', 'DES', 'NULL', 'EXPORT', 'MD5'] as const;
const WEAK_SUITE_PATTERN = `_(${WEAK_CIPHER_SUITE_PARTS.map((p) => (p === 'EXPORT' ? 'EXPORT\\d*' : p)).join('|')})(_|$)`;

/**
 * .NET Framework 4 applications (AD FS, the proxy, MFA Server's web services) negotiate what the operating system
 * allows and use strong cryptography: SchUseStrongCrypto (the AD FS page: disabling TLS 1.0 breaks the WAP to AD FS
 * trust without it) and SystemDefaultTlsVersions ("Transport Layer Security (TLS) best practices with the .NET
 * Framework", learn.microsoft.com/dotnet/framework/network-programming/tls), in the 64-bit and the 32-bit (WOW6432Node) view.
 */
export const DOTNET_KEYS = ['HKLM:\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319', 'HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319'] as const;

/** The restart after a change: shutdown.exe, so that the Run Command reports its result before Windows goes down. */
export const RESTART_DELAY_SECONDS = 60;

/**
 * The Security-log subcategory AD FS writes its audits to, "Application Generated": Extranet Smart Lockout writes its
 * events there, and needs it on every AD FS server (the ESL page; the command is Microsoft's, "Enable auditing for
 * AD FS", learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-health-agent-install).
 */
export const APPLICATION_GENERATED_AUDIT = '{0CCE9222-69AE-11D9-BED3-505054503030}';

/** Windows Server 2019's build: AD FS has Extranet Smart Lockout built in from it; AD FS 2016 needs a domain step first. */
export const ADFS_2019_BUILD = 17763;

/** `Set-RegistryDword -Path -Name -Value`: sets a DWORD unless it already has that value; true when it changed. */
const SET_REGISTRY_DWORD: PsFunction = {
  name: 'Set-RegistryDword',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)][string]$Name, [Parameter(Mandatory = $true)][int]$Value)',
    'if (-not (Test-Path -Path $Path)) { New-Item -Path $Path -Force | Out-Null }',
    '$current = Get-ItemProperty -Path $Path -Name $Name -ErrorAction SilentlyContinue',
    'if ($null -ne $current -and $current.$Name -eq $Value) { return $false }',
    "New-ItemProperty -Path $Path -Name $Name -Value $Value -PropertyType 'DWord' -Force | Out-Null",
    'return $true',
  ],
};

/** `Get-BootTime`: when Windows last started, in UTC, as a round-trip string (two reads of one boot are equal). */
const GET_BOOT_TIME: PsFunction = {
  name: 'Get-BootTime',
  lines: ["return (Get-CimInstance -ClassName 'Win32_OperatingSystem').LastBootUpTime.ToUniversalTime().ToString('o')"],
};

/** `Get-StateValue -Name`: a value the scripts noted under HARDENING_STATE_KEY, or $null. */
const GET_STATE_VALUE: PsFunction = {
  name: 'Get-StateValue',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Name)',
    `$item = Get-ItemProperty -Path ${psQuote(HARDENING_STATE_KEY)} -Name $Name -ErrorAction SilentlyContinue`,
    'if ($null -eq $item) { return $null }',
    'return [string]$item.$Name',
  ],
};

/** `Set-StateValue -Name -Value`: notes a value under HARDENING_STATE_KEY. */
const SET_STATE_VALUE: PsFunction = {
  name: 'Set-StateValue',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Name, [Parameter(Mandatory = $true)][string]$Value)',
    `if (-not (Test-Path -Path ${psQuote(HARDENING_STATE_KEY)})) { New-Item -Path ${psQuote(HARDENING_STATE_KEY)} -Force | Out-Null }`,
    `New-ItemProperty -Path ${psQuote(HARDENING_STATE_KEY)} -Name $Name -Value $Value -PropertyType 'String' -Force | Out-Null`,
  ],
};

/** What "serving again" means for a server: its load balancer's probe, asked locally, and the service behind it. */
export interface ServingCheck {
  /** The Windows service that serves: `adfssrv`, `appproxysvc`, `W3SVC`. */
  readonly service: string;
  /** The probe: HTTP GET of `path` on `port` (200 expected), or a TCP connect to `port`. */
  readonly probe?: { readonly port: number; readonly path?: string };
}

/** The extranet lockout as the farm should have it. */
export interface ExtranetLockoutSettings {
  readonly enabled: boolean;
  readonly mode: keyof typeof EXTRANET_LOCKOUT_MODES;
  readonly threshold: number;
  readonly observationWindowMinutes: number;
}

/** What one server's hardening does. */
export interface ServerHardeningProps {
  /** SCHANNEL protocols, cipher suites and .NET. */
  readonly tls: boolean;
  /** On AD FS servers of a farm the toolkit configures: the lockout mode the service must have started with. */
  readonly extranetLockout?: ExtranetLockoutSettings;
  /** On AD FS servers: what serving means, to wait for after restarting the AD FS service. */
  readonly serving?: ServingCheck;
}

/** The lockout mode the farm reports, as one comparable string: on or off, and the mode. */
const LOCKOUT_STATE = "$lockoutState = '{0}/{1}' -f $properties.ExtranetLockoutEnabled, $(if ($properties.PSObject.Properties['ExtranetLockoutMode']) { [string]$properties.ExtranetLockoutMode } else { 'ADPasswordCounter' })";

/** The lines that wait until the server serves again: bounded attempts, so that a server that never does fails the step. */
function waitUntilServing(serving: ServingCheck, attempts: number): string[] {
  const probe = serving.probe;
  const answers = probe === undefined
    ? '$true'
    : probe.path !== undefined
      ? `(Invoke-WebRequest -Uri ${psQuote(`http://localhost:${probe.port}${probe.path}`)} -UseBasicParsing -TimeoutSec 10).StatusCode -eq 200`
      : `Test-NetConnection -ComputerName 'localhost' -Port ${probe.port} -InformationLevel 'Quiet'`;
  const what = probe === undefined ? serving.service : `${serving.service} and ${probe.path !== undefined ? `http://localhost:${probe.port}${probe.path}` : `TCP ${probe.port}`}`;
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

/** The steps that turn the weak protocols, cipher suites and .NET defaults off; each sets `$restart` when it changed something. */
function tlsSteps(): PsStep[] {
  return [
    {
      title: `turn ${DISABLED_PROTOCOLS.join(', ')} off, as server and as client (SCHANNEL)`,
      lines: [
        `foreach ($protocol in ${psArray(DISABLED_PROTOCOLS)}) {`,
        "  foreach ($side in @('Server', 'Client')) {",
        `    $key = '${SCHANNEL_PROTOCOLS}\\{0}\\{1}' -f $protocol, $side`,
        "    $enabled = Set-RegistryDword -Path $key -Name 'Enabled' -Value 0",
        "    $default = Set-RegistryDword -Path $key -Name 'DisabledByDefault' -Value 1",
        "    if ($enabled -or $default) { $restart = $true; Write-Step ('{0} {1}: turned off' -f $protocol, $side) }",
        '  }',
        '}',
      ],
    },
    {
      title: `turn the weak cipher suites off (${WEAK_CIPHER_SUITE_PARTS.join(', ')})`,
      lines: [
        `$weak = @(Get-TlsCipherSuite | Where-Object { $_.Name -match ${psQuote(WEAK_SUITE_PATTERN)} })`,
        'foreach ($suite in $weak) {',
        '  Disable-TlsCipherSuite -Name $suite.Name',
        '  $restart = $true',
        "  Write-Step ('{0}: turned off' -f $suite.Name)",
        '}',
        "if ($weak.Count -eq 0) { Write-Step 'no weak cipher suite is enabled' }",
      ],
    },
    {
      title: '.NET Framework 4: strong cryptography and the TLS versions Windows allows',
      lines: [
        `foreach ($key in ${psArray(DOTNET_KEYS)}) {`,
        "  foreach ($name in @('SchUseStrongCrypto', 'SystemDefaultTlsVersions')) {",
        "    if (Set-RegistryDword -Path $key -Name $name -Value 1) { $restart = $true; Write-Step ('{0}\\{1} set' -f $key, $name) }",
        '  }',
        '}',
      ],
    },
  ];
}

/**
 * On an AD FS server: the audit subcategory, and the restart the farm's lockout mode needs on this node. The node
 * waits until its copy of the farm configuration shows what the primary set (on AD FS 2016, whose smart modes wait for
 * a manual step, only that extranet lockout is on), then compares it with the mode its service started with.
 */
function adfsLockoutSteps(settings: ExtranetLockoutSettings, serving: ServingCheck | undefined): PsStep[] {
  const mode = EXTRANET_LOCKOUT_MODES[settings.mode];
  return [
    {
      title: 'audit Application Generated events (AD FS writes its lockout events to the Security log)',
      lines: [
        `$audit = @(auditpol.exe /get /subcategory:${APPLICATION_GENERATED_AUDIT} /r | ConvertFrom-Csv)`,
        "if ($LASTEXITCODE -ne 0) { throw ('auditpol could not read the audit policy (exit code {0})' -f $LASTEXITCODE) }",
        "if ($audit.Count -eq 1 -and $audit[0].'Inclusion Setting' -eq 'Success and Failure') {",
        "  Write-Step 'already audited: nothing to change'",
        '} else {',
        `  auditpol.exe /set /subcategory:${APPLICATION_GENERATED_AUDIT} /success:enable /failure:enable | Out-Null`,
        "  if ($LASTEXITCODE -ne 0) { throw ('auditpol could not set the audit policy (exit code {0})' -f $LASTEXITCODE) }",
        "  Write-Step 'success and failure audited'",
        '}',
      ],
    },
    {
      title: 'wait until this server has the extranet lockout the WID primary set',
      lines: [
        // A secondary reads the farm configuration from its own WID copy, which it synchronizes from the primary.
        "$build = [int](Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion' -Name 'CurrentBuildNumber').CurrentBuildNumber",
        '$ready = $false',
        'for ($attempt = 1; $attempt -le 60 -and -not $ready; $attempt++) {',
        '  $properties = Get-AdfsProperties',
        `  ${LOCKOUT_STATE}`,
        `  $ready = $properties.ExtranetLockoutEnabled -eq $true -and ($build -lt ${ADFS_2019_BUILD} -or $lockoutState -eq ${psQuote(`True/${mode}`)})`,
        '  if (-not $ready) { Start-Sleep -Seconds 15 }',
        '}',
        `if (-not $ready) { throw ('the farm still reports extranet lockout {0}, not {1}, after 15 minutes: has the extranet-lockout step of the WID primary run?' -f $lockoutState, ${psQuote(`True/${mode}`)}) }`,
      ],
    },
    {
      title: 'restart AD FS if it started with another extranet lockout mode (Microsoft: restart the service on every node)',
      lines: [
        "$started = Get-StateValue -Name 'ExtranetLockoutInEffect'",
        'if ($started -eq $lockoutState) {',
        "  Write-Step ('AD FS runs with extranet lockout {0}: nothing to change' -f $lockoutState)",
        '} elseif ($restart) {',
        "  Write-Step 'the restart of the server restarts AD FS with it'",
        "  Set-StateValue -Name 'ExtranetLockoutInEffect' -Value $lockoutState",
        '} else {',
        "  Restart-Service -Name 'adfssrv' -Force",
        ...(serving ? waitUntilServing(serving, 90).map((l) => `  ${l}`) : []),
        "  Set-StateValue -Name 'ExtranetLockoutInEffect' -Value $lockoutState",
        "  Write-Step ('AD FS restarted with extranet lockout {0}' -f $lockoutState)",
        '}',
      ],
    },
  ];
}

/**
 * server-hardening: what one server's hardening changes, then a restart when a change needs one. Microsoft: "After
 * applying these changes, a reboot is required" (SCHANNEL, the AD FS page); the restart is shutdown.exe's, a minute
 * later, and the boot it restarts from is noted for hardening-restart-check.
 */
export function serverHardeningScript(props: ServerHardeningProps): RenderedScript {
  const steps: PsStep[] = [{ title: 'start from no pending change', lines: ['$restart = $false'] }];
  if (props.tls) steps.push(...tlsSteps());
  if (props.extranetLockout) steps.push(...adfsLockoutSteps(props.extranetLockout, props.serving));
  steps.push({
    title: `restart Windows in ${RESTART_DELAY_SECONDS} seconds if a change needs it`,
    lines: [
      'if ($restart) {',
      "  Set-StateValue -Name 'RestartRequestedFromBoot' -Value (Get-BootTime)",
      `  shutdown.exe /r /t ${RESTART_DELAY_SECONDS} /c 'MFA-HA: server hardening (TLS) takes effect after a restart'`,
      "  if ($LASTEXITCODE -ne 0) { throw ('shutdown could not schedule the restart (exit code {0})' -f $LASTEXITCODE) }",
      `  Write-Step 'restarting in ${RESTART_DELAY_SECONDS} seconds'`,
      '} else {',
      "  Write-Step 'no change needs a restart'",
      '}',
    ],
  });
  return renderScript({
    name: 'server-hardening',
    summary: [props.tls ? 'TLS 1.0/1.1 and weak cipher suites off' : undefined, props.extranetLockout ? 'AD FS extranet lockout in effect on this server' : undefined].filter(Boolean).join('; '),
    parameters: [],
    functions: [SET_REGISTRY_DWORD, GET_BOOT_TIME, GET_STATE_VALUE, SET_STATE_VALUE],
    steps,
  });
}

/** A short fingerprint of a script: the restart check carries its hardening's, so that it runs again whenever that does. */
export const definitionOf = (script: RenderedScript) => crypto.createHash('sha256').update(script.text).digest('hex').slice(0, 12);

/**
 * hardening-restart-check: that the restart server-hardening asked for happened (the server booted since), then that
 * the server serves again. A failure stops the deployment before the next server of the tier is touched.
 */
export function restartCheckScript(hardening: RenderedScript, serving: ServingCheck | undefined): RenderedScript {
  return renderScript({
    name: 'hardening-restart-check',
    summary: `the restart server-hardening (definition ${definitionOf(hardening)}) asked for happened, and the server serves again`,
    parameters: [],
    functions: [GET_BOOT_TIME, GET_STATE_VALUE],
    steps: [
      {
        title: 'check that the server restarted since server-hardening asked for it',
        lines: [
          "$requested = Get-StateValue -Name 'RestartRequestedFromBoot'",
          'if ($null -eq $requested) {',
          "  Write-Step 'no restart was asked for'",
          '} elseif ($requested -eq (Get-BootTime)) {',
          "  throw ('the restart asked for has not happened: Windows still runs the boot of {0}. Restart the server (Restart-Computer), then deploy again' -f $requested)",
          '} else {',
          `  Remove-ItemProperty -Path ${psQuote(HARDENING_STATE_KEY)} -Name 'RestartRequestedFromBoot'`,
          "  Write-Step ('restarted (the boot of {0} is over)' -f $requested)",
          '}',
        ],
      },
      {
        title: serving ? `wait until ${serving.service} serves again` : 'nothing serves on this server yet: no wait',
        lines: serving ? waitUntilServing(serving, 90) : ["Write-Step 'nothing to wait for'"],
      },
    ],
  });
}

/**
 * extranet-lockout, on the WID primary: the thresholds, the smart lockout mode, then extranet lockout on (the ESL page's
 * order: "Once the mode is configured, you can enable smart lockout"), and AD FS auditing not off. Each is set only when
 * the farm reports another value. On AD FS 2016 the smart modes first need `Update-AdfsArtifactDatabasePermission` by an
 * AD FS administrator (the ESL page's prerequisites for AD FS 2016): the script reports it and keeps the 2012 R2
 * extranet lockout (ADPasswordCounter), which needs no such step.
 */
export function extranetLockoutScript(settings: ExtranetLockoutSettings): RenderedScript {
  const mode = EXTRANET_LOCKOUT_MODES[settings.mode];
  return renderScript({
    name: 'extranet-lockout',
    summary: settings.enabled
      ? `AD FS extranet smart lockout ${settings.mode} (${mode}): threshold ${settings.threshold}, observation window ${settings.observationWindowMinutes} minutes`
      : 'AD FS extranet lockout off',
    parameters: [],
    functions: [],
    steps: [
      { title: 'read the farm properties', lines: ['$properties = Get-AdfsProperties'] },
      {
        title: 'audit AD FS events (AuditLevel not None)',
        lines: [
          "if (@($properties.AuditLevel) -contains 'None') {",
          "  Set-AdfsProperties -AuditLevel 'Basic'",
          "  Write-Step 'AuditLevel Basic'",
          '} else {',
          "  Write-Step ('AuditLevel {0}: nothing to change' -f (@($properties.AuditLevel) -join ', '))",
          '}',
        ],
      },
      ...(settings.enabled
        ? [
            {
              title: `threshold ${settings.threshold}, observation window ${settings.observationWindowMinutes} minutes, fall back to another domain controller than the PDC`,
              lines: [
                `$window = New-TimeSpan -Minutes ${settings.observationWindowMinutes}`,
                `if ($properties.ExtranetLockoutThreshold -eq ${settings.threshold} -and $properties.ExtranetObservationWindow -eq $window -and -not $properties.ExtranetLockoutRequirePDC) {`,
                "  Write-Step 'already set: nothing to change'",
                '} else {',
                `  Set-AdfsProperties -ExtranetLockoutThreshold ${settings.threshold} -ExtranetObservationWindow $window -ExtranetLockoutRequirePDC $false`,
                "  Write-Step 'set'",
                '}',
              ],
            },
            {
              title: `smart lockout mode ${mode}`,
              lines: [
                "$build = [int](Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion' -Name 'CurrentBuildNumber').CurrentBuildNumber",
                "$current = if ($properties.PSObject.Properties['ExtranetLockoutMode']) { [string]$properties.ExtranetLockoutMode } else { 'ADPasswordCounter' }",
                `if ($build -lt ${ADFS_2019_BUILD}) {`,
                `  Write-Step ('MANUAL PRECONDITION (AD FS administrator): AD FS 2016 needs Update-AdfsArtifactDatabasePermission before the smart lockout modes; until then the farm keeps extranet lockout {0} (learn.microsoft.com/windows-server/identity/ad-fs/operations/configure-ad-fs-extranet-smart-lockout-protection)' -f $current)`,
                `} elseif ($current -eq ${psQuote(mode)}) {`,
                "  Write-Step 'already in this mode: nothing to change'",
                '} else {',
                `  Set-AdfsProperties -ExtranetLockoutMode ${psQuote(mode)} -Confirm:$false`,
                `  Write-Step ('mode {0} (was {1}): every AD FS server restarts its service in turn' -f ${psQuote(mode)}, $current)`,
                '}',
              ],
            },
          ]
        : []),
      {
        title: settings.enabled ? 'turn extranet lockout on' : 'turn extranet lockout off',
        lines: [
          `if ($properties.ExtranetLockoutEnabled -eq $${settings.enabled}) {`,
          "  Write-Step 'already so: nothing to change'",
          '} else {',
          `  Set-AdfsProperties -EnableExtranetLockout $${settings.enabled}`,
          `  Write-Step ${psQuote(settings.enabled ? 'on' : 'off')}`,
          '}',
        ],
      },
    ],
  });
}

/** The Windows LAPS settings the toolkit writes. */
export interface LapsSettings {
  readonly passwordAgeDays: number;
  readonly passwordLength: number;
  /** Where the computer accounts are (domain.ouPath), to name in the precondition. */
  readonly ouPath?: string;
}

/**
 * Windows LAPS policy roots, highest precedence first ("Configure policy settings for Windows LAPS",
 * learn.microsoft.com/windows-server/identity/laps/laps-management-policy-settings): the first root with a setting wins.
 * The toolkit owns no Group Policy or Intune policy, so it writes the local configuration root and reports a higher one.
 */
export const LAPS_POLICY_ROOTS = {
  csp: 'HKLM:\\SOFTWARE\\Microsoft\\Policies\\LAPS',
  groupPolicy: 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\LAPS',
  local: 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\LAPS\\Config',
} as const;

/** Windows LAPS events ("Use Windows LAPS event logs"): processing succeeded, failed, password backed up to AD. */
export const LAPS_EVENTS = { succeeded: 10004, failed: 10005, backedUpToAd: 10018 } as const;

/**
 * windows-laps: the Windows LAPS policy (back the built-in administrator's password up to AD, rotate it), where this
 * Windows has Windows LAPS; then one processing cycle, whose outcome reports the domain's preconditions. Those are a
 * domain administrator's (Update-LapsADSchema, Set-LapsADComputerSelfPermission): the script names them, it does not
 * try them. Windows LAPS processes its policy every hour by itself, so it starts once they are met.
 */
export function lapsScript(settings: LapsSettings): RenderedScript {
  const values: Record<string, number> = { BackupDirectory: 2, PasswordAgeDays: settings.passwordAgeDays, PasswordLength: settings.passwordLength, PasswordComplexity: 4 };
  const ou = settings.ouPath ?? '<the OU of the computer accounts>';
  return renderScript({
    name: 'windows-laps',
    summary: `Windows LAPS for the local administrator: backed up to AD, ${settings.passwordLength} characters, rotated every ${settings.passwordAgeDays} days`,
    parameters: [],
    functions: [SET_REGISTRY_DWORD],
    steps: [
      {
        title: 'check that this Windows has Windows LAPS',
        lines: [
          "$available = $null -ne (Get-Command -Name 'Invoke-LapsPolicyProcessing' -ErrorAction SilentlyContinue)",
          "if (-not $available) { Write-Step 'Windows LAPS is not part of this Windows (Windows Server 2019 and later, with the April 2023 update): the local administrator keeps its password from Key Vault' }",
        ],
      },
      {
        title: 'write the Windows LAPS policy (local configuration): back up to Active Directory, complexity 4',
        lines: [
          'if ($available) {',
          `  foreach ($setting in @(${Object.entries(values).map(([name, value]) => `@(${psQuote(name)}, ${value})`).join(', ')})) {`,
          `    if (Set-RegistryDword -Path ${psQuote(LAPS_POLICY_ROOTS.local)} -Name $setting[0] -Value $setting[1]) { Write-Step ('{0} = {1}' -f $setting[0], $setting[1]) }`,
          '  }',
          '}',
        ],
      },
      {
        title: 'report a Windows LAPS policy that takes precedence (Intune or Group Policy)',
        lines: [
          `foreach ($root in @(${psQuote(LAPS_POLICY_ROOTS.csp)}, ${psQuote(LAPS_POLICY_ROOTS.groupPolicy)})) {`,
          '  $policy = Get-ItemProperty -Path $root -ErrorAction SilentlyContinue',
          "  if ($available -and $null -ne $policy -and @($policy.PSObject.Properties | Where-Object { $_.Name -notlike 'PS*' }).Count -gt 0) {",
          "    Write-Step ('a Windows LAPS policy under {0} applies here and takes precedence over these settings' -f $root)",
          '  }',
          '}',
        ],
      },
      {
        title: 'process the policy once and report the domain preconditions',
        lines: [
          'if ($available) {',
          '  $start = Get-Date',
          '  Invoke-LapsPolicyProcessing',
          `  $events = @(Get-WinEvent -FilterHashtable @{ LogName = 'Microsoft-Windows-LAPS/Operational'; Id = ${LAPS_EVENTS.succeeded}, ${LAPS_EVENTS.failed}, ${LAPS_EVENTS.backedUpToAd}; StartTime = $start } -ErrorAction SilentlyContinue)`,
          `  $failed = @($events | Where-Object { $_.Id -eq ${LAPS_EVENTS.failed} })`,
          `  if ($failed.Count -gt 0) {`,
          `    Write-Step ('MANUAL PRECONDITIONS (domain administrators): Windows LAPS could not back the password up to Active Directory ({0}). Once 1) Update-LapsADSchema (Schema Admins) and 2) Set-LapsADComputerSelfPermission -Identity ''{1}'' (Domain Admins) are done, it does by itself within the hour' -f (($failed[0].Message -split [Environment]::NewLine) -join ' '), ${psQuote(ou)})`,
          `  } elseif (@($events | Where-Object { $_.Id -eq ${LAPS_EVENTS.succeeded} }).Count -gt 0) {`,
          `    Write-Step $(if (@($events | Where-Object { $_.Id -eq ${LAPS_EVENTS.backedUpToAd} }).Count -gt 0) { 'the password is rotated and backed up to Active Directory' } else { 'Windows LAPS processed the policy: the password is in Active Directory' })`,
          '  } else {',
          "    Write-Step 'Windows LAPS reported no result yet: see the Microsoft-Windows-LAPS/Operational log'",
          '  }',
          '}',
        ],
      },
    ],
  });
}
