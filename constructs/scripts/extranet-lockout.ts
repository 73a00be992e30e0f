import { EXTRANET_LOCKOUT_MODES } from '../../config/hardening-schema';
import { PsStep, psQuote, renderScript, RenderedScript } from './powershell';
import { RESTART_OWED, ServingCheck, waitUntilServing } from './server-state';

/*
 * AD FS extranet smart lockout ("AD FS Extranet Lockout and Extranet Smart Lockout", learn.microsoft.com/windows-server/
 * identity/ad-fs/operations/configure-ad-fs-extranet-smart-lockout-protection): set on the WID primary (extranet-lockout),
 * then in effect on every AD FS server, whose service restarts with the new mode (the steps server-hardening runs there).
 */

/**
 * The Security-log subcategory AD FS writes its audits to, "Application Generated": Extranet Smart Lockout writes its
 * events there, and needs it on every AD FS server (the ESL page; the command is Microsoft's, "Enable auditing for
 * AD FS", learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-health-agent-install).
 */
export const APPLICATION_GENERATED_AUDIT = '{0CCE9222-69AE-11D9-BED3-505054503030}';

/** Windows Server 2019's build: AD FS has Extranet Smart Lockout built in from it; AD FS 2016 needs a domain step first. */
export const ADFS_2019_BUILD = 17763;

/** The extranet lockout as the farm should have it. */
export interface ExtranetLockoutSettings {
  readonly enabled: boolean;
  readonly mode: keyof typeof EXTRANET_LOCKOUT_MODES;
  readonly threshold: number;
  readonly observationWindowMinutes: number;
}

/** The lockout mode the farm reports, as one comparable string: on or off, and the mode. */
const LOCKOUT_STATE =
  "$lockoutState = '{0}/{1}' -f $properties.ExtranetLockoutEnabled, $(if ($properties.PSObject.Properties['ExtranetLockoutMode']) { [string]$properties.ExtranetLockoutMode } else { 'ADPasswordCounter' })";

/**
 * On an AD FS server: the audit subcategory, and the restart the farm's lockout mode needs on this node. The node
 * waits until its copy of the farm configuration shows what the primary set (on AD FS 2016, whose smart modes wait for
 * a manual step, only that extranet lockout is on), then compares it with the mode its service started with.
 */
export function adfsLockoutSteps(settings: ExtranetLockoutSettings, serving: ServingCheck | undefined): PsStep[] {
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
        `} elseif (${RESTART_OWED}) {`,
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
