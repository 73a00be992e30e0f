import * as crypto from 'crypto';
import { adfsLockoutSteps, ExtranetLockoutSettings } from './extranet-lockout';
import { PsStep, psArray, psQuote, renderScript, RenderedScript } from './powershell';
import {
  GET_BOOT_TIME,
  GET_STATE_VALUE,
  HARDENING_STATE_KEY,
  REQUEST_RESTART,
  RESTART_OWED,
  SET_REGISTRY_DWORD,
  SET_STATE_VALUE,
  ServingCheck,
  waitUntilServing,
} from './server-state';

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
export const DOTNET_KEYS = [
  'HKLM:\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319',
  'HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319',
] as const;

/** The restart after a change: shutdown.exe, so that the Run Command reports its result before Windows goes down. */
export const RESTART_DELAY_SECONDS = 60;

/** What one server's hardening does. */
export interface ServerHardeningProps {
  /** SCHANNEL protocols, cipher suites and .NET. */
  readonly tls: boolean;
  /** On AD FS servers of a farm the toolkit configures: the lockout mode the service must have started with. */
  readonly extranetLockout?: ExtranetLockoutSettings;
  /** On AD FS servers: what serving means, to wait for after restarting the AD FS service. */
  readonly serving?: ServingCheck;
}

/** The steps that turn the weak protocols, cipher suites and .NET defaults off; each notes the restart a change owes before it. */
function tlsSteps(): PsStep[] {
  return [
    {
      title: `turn ${DISABLED_PROTOCOLS.join(', ')} off, as server and as client (SCHANNEL)`,
      lines: [
        `foreach ($protocol in ${psArray(DISABLED_PROTOCOLS)}) {`,
        "  foreach ($side in @('Server', 'Client')) {",
        `    $key = '${SCHANNEL_PROTOCOLS}\\{0}\\{1}' -f $protocol, $side`,
        "    $enabled = Set-RegistryDword -Path $key -Name 'Enabled' -Value 0 -BeforeChange { Request-Restart }",
        "    $default = Set-RegistryDword -Path $key -Name 'DisabledByDefault' -Value 1 -BeforeChange { Request-Restart }",
        "    if ($enabled -or $default) { Write-Step ('{0} {1}: turned off' -f $protocol, $side) }",
        '  }',
        '}',
      ],
    },
    {
      title: `turn the weak cipher suites off (${WEAK_CIPHER_SUITE_PARTS.join(', ')})`,
      lines: [
        `$weak = @(Get-TlsCipherSuite | Where-Object { $_.Name -match ${psQuote(WEAK_SUITE_PATTERN)} })`,
        'foreach ($suite in $weak) {',
        '  Request-Restart',
        '  Disable-TlsCipherSuite -Name $suite.Name',
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
        "    if (Set-RegistryDword -Path $key -Name $name -Value 1 -BeforeChange { Request-Restart }) { Write-Step ('{0}\\{1} set' -f $key, $name) }",
        '  }',
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
  const steps: PsStep[] = [];
  if (props.tls) steps.push(...tlsSteps());
  if (props.extranetLockout) steps.push(...adfsLockoutSteps(props.extranetLockout, props.serving));
  steps.push({
    title: `restart Windows in ${RESTART_DELAY_SECONDS} seconds if a change needs it`,
    lines: [
      `if (${RESTART_OWED}) {`,
      `  shutdown.exe /r /t ${RESTART_DELAY_SECONDS} /c 'MFA-HA: server hardening (TLS) takes effect after a restart'`,
      // 1190 (ERROR_SHUTDOWN_IS_SCHEDULED): a restart is already scheduled, such as the one the farm configuration asks for.
      "  if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1190) { throw ('shutdown could not schedule the restart (exit code {0})' -f $LASTEXITCODE) }",
      `  Write-Step 'restarting in ${RESTART_DELAY_SECONDS} seconds'`,
      '} else {',
      "  Write-Step 'no change needs a restart'",
      '}',
    ],
  });
  return renderScript({
    name: 'server-hardening',
    summary: [
      props.tls ? 'TLS 1.0/1.1 and weak cipher suites off' : undefined,
      props.extranetLockout ? 'AD FS extranet lockout in effect on this server' : undefined,
    ]
      .filter(Boolean)
      .join('; '),
    parameters: [],
    functions: [SET_REGISTRY_DWORD, GET_BOOT_TIME, GET_STATE_VALUE, SET_STATE_VALUE, REQUEST_RESTART],
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
