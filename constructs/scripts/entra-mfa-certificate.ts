import * as crypto from 'crypto';
import { PsFunction, psQuote, renderScript, RenderedScript } from './powershell';

/*
 * The tenant certificate each AD FS server authenticates to Microsoft Entra MFA with, and the daily check that
 * alerts before it expires. "Configure the AD FS servers" (Configure Microsoft Entra multifactor authentication as
 * authentication provider with AD FS, https://learn.microsoft.com/windows-server/identity/ad-fs/operations/configure-ad-fs-and-azure-mfa):
 * every server runs New-AdfsAzureMfaTenantCertificate -TenantId, which "looks in the local machine My store for a
 * certificate with Issuer and Subject equal to CN = <tenant ID>, OU = Microsoft AD FS Azure MFA. If it does not find
 * one, it generates it" (https://learn.microsoft.com/powershell/module/adfs/new-adfsazuremfatenantcertificate). The
 * certificates "are valid for two years"; a renewal (-Renew $true) is valid "from two days after the current day",
 * and "If your certificate has already expired, don't add the -Renew $true parameter".
 *
 * Generations: `migration.adfsCertificateGeneration` numbers the certificates. The Run Command of generation g
 * (`entra-mfa-certificate-<g>`) creates generation g's certificate once, renewing generation g-1's, records which
 * certificate it is under %ProgramData%\MFA-HA\entra-mfa, and prints it for Terraform, which registers it on the
 * service principal (constructs/entra-mfa-on-adfs.ts). A new generation is a new Run Command, so its output is
 * unknown at plan time and the registration of it is planned as a creation, never as a change of a known value.
 */

/** The subject of a tenant certificate: its issuer too (self-signed). */
export const TENANT_CERTIFICATE_OU = 'Microsoft AD FS Azure MFA';

/** The folder under %ProgramData% where the Entra MFA scripts keep their state: only SYSTEM and Administrators write it. */
export const ENTRA_MFA_FOLDER = 'MFA-HA\\entra-mfa';

/** The line the certificate script ends with, read by Terraform from the Run Command's instance view. */
export const CERTIFICATE_OUTPUT_MARKER = 'ENTRA-MFA-TENANT-CERTIFICATE';

/**
 * The Terraform `regex()` of that line: thumbprint, start and end (RFC 3339, UTC) and the certificate (base64 of
 * its DER bytes), in this order. Run Command keeps the end of a script's output, so the line comes last.
 */
export const CERTIFICATE_OUTPUT_PATTERN = `${CERTIFICATE_OUTPUT_MARKER} ([0-9A-F]{40}) ([0-9T:Z-]+) ([0-9T:Z-]+) ([A-Za-z0-9+/=]+)`;

/** Where the check writes its events in the Application log (registered by its installer). */
export const ENTRA_MFA_EVENT_SOURCE = 'MFA-HA-EntraMfa';

/** One event of the tenant certificate check. */
export interface EntraMfaEvent {
  readonly id: number;
  /** Warning and Error reach the workspace (the data collection rules take Application problems only). */
  readonly level: 'Warning' | 'Error';
  readonly what: string;
}

/** THE events of the check. A certificate far from expiry writes none: nothing to act on. */
export const ENTRA_MFA_EVENTS = {
  nearExpiry: {
    id: 1201,
    level: 'Warning',
    what: 'the newest tenant certificate of this AD FS server expires within the warning period: raise migration.adfsCertificateGeneration and deploy',
  },
  expired: {
    id: 1202,
    level: 'Error',
    what: 'this AD FS server has no valid tenant certificate: Microsoft Entra MFA fails on it until a new generation is deployed',
  },
} as const satisfies Record<string, EntraMfaEvent>;

/**
 * Days before its expiry from which a tenant certificate is reported. A renewal is a reviewed deploy (a config
 * change, then its plan and apply), and the renewed certificate starts two days after it is made: sixty days leave
 * room for both.
 */
export const TENANT_CERTIFICATE_WARNING_DAYS = 60;

/** The scheduled task of the check. */
export const CHECK_TASK = {
  path: '\\MFA-HA\\',
  name: 'Entra MFA certificate check',
  file: 'Test-EntraMfaCertificate.ps1',
  /** Daily, in the server's time; at startup too, so that a server restored from a backup reports at once. */
  dailyAt: '05:00',
  timeLimitMinutes: 10,
} as const;

/** `Initialize-EntraMfaFolder`: creates the state folder, writable only by SYSTEM and Administrators, and returns its path. */
export const INITIALIZE_ENTRA_MFA_FOLDER: PsFunction = {
  name: 'Initialize-EntraMfaFolder',
  lines: [
    `$folder = Join-Path -Path $env:ProgramData -ChildPath ${psQuote(ENTRA_MFA_FOLDER)}`,
    'if (-not (Test-Path -LiteralPath $folder)) {',
    '  New-Item -ItemType Directory -Path $folder -Force | Out-Null',
    // Well-known SIDs: SYSTEM and the Administrators group, whatever the server's language.
    "  icacls.exe $folder /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' | Out-Null",
    "  if ($LASTEXITCODE -ne 0) { throw ('icacls could not restrict {0} (exit code {1})' -f $folder, $LASTEXITCODE) }",
    '}',
    'return $folder',
  ],
};

/** `Get-TenantCertificate -TenantId <id>`: the tenant certificates in LocalMachine\My, newest first. */
export const GET_TENANT_CERTIFICATE: PsFunction = {
  name: 'Get-TenantCertificate',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$TenantId)',
    // Issuer and Subject both CN=<tenant>, OU=Microsoft AD FS Azure MFA: compared part by part, in any order.
    `$parts = { param($Name) @(([string]$Name -split ',') | ForEach-Object { $_.Trim() } | Sort-Object) -join ',' }`,
    `$wanted = & $parts ('CN={0}, OU=${TENANT_CERTIFICATE_OU}' -f $TenantId)`,
    "@(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { (& $parts $_.Subject) -eq $wanted -and (& $parts $_.Issuer) -eq $wanted } | Sort-Object -Property NotBefore -Descending)",
  ],
};

/** The record of generations: one line `<generation> <thumbprint>` each. */
const READ_RECORD = [
  "$recordPath = Join-Path -Path (Initialize-EntraMfaFolder) -ChildPath 'tenant-certificates.txt'",
  '$record = @{}',
  'if (Test-Path -LiteralPath $recordPath) {',
  "  foreach ($line in @(Get-Content -LiteralPath $recordPath)) { if ($line -match '^(\\d+) ([0-9A-F]{40})$') { $record[[int]$Matches[1]] = $Matches[2] } }",
  '}',
];

/** Props of the certificate script. */
export interface TenantCertificateProps {
  readonly tenantId: string;
  /** The generation this Run Command creates (migration.adfsCertificateGeneration, or the one before it). */
  readonly generation: number;
}

/** The Run Command name of a generation's certificate script. */
export const certificateRunCommandName = (generation: number) => `entra-mfa-certificate-${generation}`;

/**
 * Creates generation g's tenant certificate on this AD FS server, once: the first generation takes the
 * certificate New-AdfsAzureMfaTenantCertificate finds or creates; a later one renews the previous generation's
 * (-Renew $true while it is valid; after removing it when it has expired, a new one, and AD FS restarts).
 * A renewal that returns the certificate it had is refused: the renewal "will not generate an error" when the
 * tenant id's format differs from the original's (MicrosoftDocs/windowsserverdocs issue 6774). Ends with the
 * certificate, for its registration on the service principal.
 */
export function tenantCertificateScript(props: TenantCertificateProps): RenderedScript {
  const tenant = psQuote(props.tenantId);
  const g = props.generation;
  return renderScript({
    name: certificateRunCommandName(g),
    summary: `create generation ${g} of this AD FS server's Microsoft Entra MFA tenant certificate (tenant ${props.tenantId}) and print it for its registration`,
    parameters: [],
    functions: [INITIALIZE_ENTRA_MFA_FOLDER, GET_TENANT_CERTIFICATE],
    steps: [
      {
        title: 'read the tenant certificates of this server and the generations recorded',
        lines: [...READ_RECORD, `$certificates = @(Get-TenantCertificate -TenantId ${tenant})`, '$now = Get-Date', '$renewed = $null'],
      },
      {
        title: `make sure generation ${g} has its certificate`,
        lines: [
          `if ($record.ContainsKey(${g})) {`,
          `  $mine = @($certificates | Where-Object { $_.Thumbprint -eq $record[${g}] }) | Select-Object -First 1`,
          `  if ($null -eq $mine) { throw ('the certificate of generation ${g} ({0}) is no longer in LocalMachine\\My: raise migration.adfsCertificateGeneration to create another' -f $record[${g}]) }`,
          "  Write-Step ('already created: {0}, valid until {1:u}' -f $mine.Thumbprint, $mine.NotAfter)",
          '} else {',
          `  $earlier = @($record.Keys | Where-Object { $_ -lt ${g} } | Sort-Object -Descending)`,
          '  $previous = if ($earlier.Count -gt 0) { @($certificates | Where-Object { $_.Thumbprint -eq $record[$earlier[0]] }) | Select-Object -First 1 } else { $null }',
          // A certificate made by an earlier run of this script that stopped before recording it.
          '  $recorded = @($record.Values)',
          '  $unrecorded = @($certificates | Where-Object { $_.Thumbprint -notin $recorded -and $_.NotAfter -gt $now -and ($null -eq $previous -or $_.NotBefore -gt $previous.NotBefore) })',
          '  if ($unrecorded.Count -gt 0) {',
          '    $mine = $unrecorded[0]',
          "    Write-Step ('found {0}, made by an earlier run that did not finish' -f $mine.Thumbprint)",
          '  } else {',
          '    if ($null -ne $previous -and $previous.NotAfter -gt $now) {',
          `      $base64 = New-AdfsAzureMfaTenantCertificate -TenantId ${tenant} -Renew $true`,
          '      $renewed = $previous',
          '    } else {',
          // -Renew fails on an expired certificate ("Object reference not set…"), and without it the cmdlet would
          // return the expired one it finds: remove expired ones first, then AD FS must restart to take the new one.
          '      foreach ($expired in @($certificates | Where-Object { $_.NotAfter -le $now })) {',
          "        Remove-Item -LiteralPath ('Cert:\\LocalMachine\\My\\{0}' -f $expired.Thumbprint)",
          "        Set-Content -LiteralPath (Join-Path -Path (Initialize-EntraMfaFolder) -ChildPath 'restart-pending') -Value ('expired tenant certificate {0} replaced' -f $expired.Thumbprint)",
          "        Write-Step ('removed the expired certificate {0}' -f $expired.Thumbprint)",
          '      }',
          `      $base64 = New-AdfsAzureMfaTenantCertificate -TenantId ${tenant}`,
          '    }',
          '    $made = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String([string]$base64))',
          `    $mine = @(Get-TenantCertificate -TenantId ${tenant} | Where-Object { $_.Thumbprint -eq $made.Thumbprint }) | Select-Object -First 1`,
          "    if ($null -eq $mine) { throw ('New-AdfsAzureMfaTenantCertificate returned {0}, which is not a tenant certificate of this tenant in LocalMachine\\My' -f $made.Thumbprint) }",
          '    if ($null -ne $renewed -and $mine.Thumbprint -eq $renewed.Thumbprint) {',
          "      throw ('the renewal returned the certificate it had ({0}): was the previous one made with the tenant id in another format (a domain name instead of the GUID)?' -f $mine.Thumbprint)",
          '    }',
          '  }',
          "  if ($mine.NotAfter -le $now) { throw ('{0} has expired' -f $mine.Thumbprint) }",
          `  Add-Content -LiteralPath $recordPath -Value ('${g} {0}' -f $mine.Thumbprint)`,
          `  Write-Step ('generation ${g}: {0}, valid from {1:u} until {2:u}' -f $mine.Thumbprint, $mine.NotBefore, $mine.NotAfter)`,
          '}',
        ],
      },
      {
        title: `print generation ${g}'s certificate for its registration on the service principal`,
        lines: [
          "$utc = { param($Date) $Date.ToUniversalTime().ToString('s', [Globalization.CultureInfo]::InvariantCulture) + 'Z' }",
          `Write-Output ('${CERTIFICATE_OUTPUT_MARKER} {0} {1} {2} {3}' -f $mine.Thumbprint, (& $utc $mine.NotBefore), (& $utc $mine.NotAfter), [Convert]::ToBase64String($mine.RawData))`,
        ],
      },
    ],
  });
}

/** `Write-EntraMfaEvent -Kind <key> -Message <text>`: one line of output and one Application log event. */
const WRITE_EVENT: PsFunction = {
  name: 'Write-EntraMfaEvent',
  lines: [
    `param([Parameter(Mandatory = $true)][ValidateSet(${Object.keys(ENTRA_MFA_EVENTS).map(psQuote).join(', ')})][string]$Kind, [Parameter(Mandatory = $true)][string]$Message)`,
    `$events = @{ ${Object.entries(ENTRA_MFA_EVENTS)
      .map(([k, e]) => `${k} = @(${e.id}, ${psQuote(e.level)})`)
      .join('; ')} }`,
    'Write-Step $Message',
    `Write-EventLog -LogName 'Application' -Source ${psQuote(ENTRA_MFA_EVENT_SOURCE)} -EventId $events[$Kind][0] -EntryType $events[$Kind][1] -Message $Message`,
  ],
};

/** The check the task runs: the newest valid tenant certificate, and an event when it is missing or expires soon. */
export function tenantCertificateCheckScript(tenantId: string): RenderedScript {
  return renderScript({
    name: 'entra-mfa-certificate-check',
    summary: `report this AD FS server's Microsoft Entra MFA tenant certificate (tenant ${tenantId}) when it is missing or expires within ${TENANT_CERTIFICATE_WARNING_DAYS} days`,
    parameters: [],
    functions: [GET_TENANT_CERTIFICATE, WRITE_EVENT],
    steps: [
      {
        title: 'find the newest valid tenant certificate',
        lines: [
          '$now = Get-Date',
          `$valid = @(Get-TenantCertificate -TenantId ${psQuote(tenantId)} | Where-Object { $_.NotBefore -le $now -and $_.NotAfter -gt $now } | Sort-Object -Property NotAfter -Descending)`,
          'if ($valid.Count -eq 0) {',
          `  Write-EntraMfaEvent -Kind 'expired' -Message ${psQuote(`no valid Microsoft Entra MFA tenant certificate (CN=${tenantId}, OU=${TENANT_CERTIFICATE_OU}) on this AD FS server: Entra MFA fails here; raise migration.adfsCertificateGeneration and deploy (docs/entra-mfa-adfs.md)`)}`,
          '} elseif ($valid[0].NotAfter -lt $now.AddDays(' + TENANT_CERTIFICATE_WARNING_DAYS + ')) {',
          "  Write-EntraMfaEvent -Kind 'nearExpiry' -Message ('the newest Microsoft Entra MFA tenant certificate of this AD FS server ({0}) expires on {1:u}: raise migration.adfsCertificateGeneration and deploy (docs/entra-mfa-adfs.md)' -f $valid[0].Thumbprint, $valid[0].NotAfter)",
          '} else {',
          "  Write-Step ('{0} is valid until {1:u}: nothing to report' -f $valid[0].Thumbprint, $valid[0].NotAfter)",
          '}',
        ],
      },
    ],
  });
}

/** The Run Command that installs the check: its event source, its script file and its daily task. */
export function tenantCertificateCheckInstallerScript(check: RenderedScript): RenderedScript {
  const encoded = Buffer.from(check.text, 'utf8').toString('base64');
  const definition = crypto
    .createHash('sha256')
    .update(JSON.stringify([check.text, CHECK_TASK]))
    .digest('hex')
    .slice(0, 12);
  const description = `Reports the Microsoft Entra MFA tenant certificate before it expires (MFA Server HA toolkit; definition ${definition})`;
  const task = CHECK_TASK;
  return renderScript({
    name: 'entra-mfa-certificate-check-task',
    summary: `install the tenant certificate check (${task.path}${task.name}): daily at ${task.dailyAt} and at startup`,
    parameters: [],
    functions: [],
    steps: [
      {
        title: `register the event source ${ENTRA_MFA_EVENT_SOURCE} in the Application log`,
        lines: [
          `if (Test-Path -Path ${psQuote(`HKLM:\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\${ENTRA_MFA_EVENT_SOURCE}`)}) {`,
          "  Write-Step 'already registered'",
          '} else {',
          `  New-EventLog -LogName 'Application' -Source ${psQuote(ENTRA_MFA_EVENT_SOURCE)}`,
          '}',
        ],
      },
      {
        title: `write the check to %ProgramData%\\MFA-HA\\${task.file}`,
        lines: [
          "$folder = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA'",
          `$path = Join-Path -Path $folder -ChildPath ${psQuote(task.file)}`,
          'New-Item -ItemType Directory -Path $folder -Force | Out-Null',
          // SYSTEM runs what is in this folder: only SYSTEM and Administrators may write it (well-known SIDs).
          "icacls.exe $folder /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' | Out-Null",
          "if ($LASTEXITCODE -ne 0) { throw ('icacls could not restrict {0} (exit code {1})' -f $folder, $LASTEXITCODE) }",
          `$text = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(${psQuote(encoded)}))`,
          '$current = if (Test-Path -LiteralPath $path) { Get-Content -LiteralPath $path -Raw -Encoding UTF8 } else { $null }',
          'if ($current -ceq $text) {',
          "  Write-Step 'already current'",
          '} else {',
          '  Set-Content -LiteralPath $path -Value $text -Encoding UTF8 -NoNewline',
          "  Write-Step 'written'",
          '}',
        ],
      },
      {
        title: `register the scheduled task ${task.path}${task.name} (SYSTEM)`,
        lines: [
          `$description = ${psQuote(description)}`,
          `$existing = Get-ScheduledTask -TaskName ${psQuote(task.name)} -TaskPath ${psQuote(task.path)} -ErrorAction SilentlyContinue`,
          'if ($null -ne $existing -and $existing.Description -ceq $description) {',
          "  Write-Step 'already registered with this definition: nothing to change'",
          '} else {',
          "  $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument ('-NoProfile -NonInteractive -ExecutionPolicy Bypass -File \"{0}\"' -f $path)",
          `  $daily = New-ScheduledTaskTrigger -Daily -At ([datetime]${psQuote(task.dailyAt)})`,
          '  $startup = New-ScheduledTaskTrigger -AtStartup',
          "  $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest",
          `  $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Minutes ${task.timeLimitMinutes})`,
          `  $registration = @{ TaskName = ${psQuote(task.name)}; TaskPath = ${psQuote(task.path)}; Action = $action; Trigger = @($daily, $startup); Principal = $principal; Settings = $settings; Description = $description; Force = $true }`,
          '  Register-ScheduledTask @registration | Out-Null',
          "  Write-Step $(if ($null -eq $existing) { 'registered' } else { 'updated to this definition' })",
          '}',
        ],
      },
    ],
  });
}
