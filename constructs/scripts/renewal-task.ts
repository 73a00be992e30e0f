import * as crypto from 'crypto';
import { psQuote, renderScript, RenderedScript, ScriptParameter } from './powershell';
import { PEERS_FILE, RENEWAL_EVENT_SOURCE, RENEWAL_FOLDER } from './renewal';

/*
 * The scheduled task that runs the certificate renewal (./renewal.ts) on every AD FS and WAP server, and the
 * Run Command that installs it: the event source, the script file in a folder only SYSTEM and Administrators
 * may write, and the task itself, registered again only when its definition changes.
 */

/** The scheduled task that runs the renewal script. */
export const RENEWAL_TASK = {
  path: '\\MFA-HA\\',
  name: 'Certificate renewal',
  /** Under %ProgramData%, in a folder only SYSTEM and Administrators may write: the task runs it as SYSTEM. */
  folder: RENEWAL_FOLDER,
  file: 'Update-CertificateBindings.ps1',
  /** Beside the script: the hash of the task's definition, registered again when it differs. */
  definitionFile: 'certificate-renewal.definition',
  /**
   * The daily run, in the server's time. Each server of a tier runs at its own minute of the hour, daily and
   * hourly: server n (its computer name's number) at ((n - 1) x minuteStep) mod 60 minutes past, so that no two
   * servers of a tier restart AD FS or the proxy service together after a renewal. 13 is prime to 60: sixty
   * servers get sixty different minutes, and up to ten are at least 5 minutes apart. It does not depend on the
   * number of servers, so that scaling a tier leaves the other servers' task as it is.
   */
  dailyAt: '03:00',
  minuteStep: 13,
  /**
   * And every hour: the Key Vault extension documents no event or hook when it installs a renewal, only its
   * polling (pollingIntervalInS, constructs/server-steps.ts), so the task looks as often as the extension does.
   */
  repeatMinutes: 60,
  /** How long the hourly repetition lasts (Microsoft documents no default): the installer registers the task again whenever it changes. */
  repeatForDays: 3650,
  timeLimitMinutes: 30,
} as const;

/** The tiers whose servers run a renewal task: AD FS and the proxies move certificates, the IIS tiers are watched. */
export type RenewalTaskTier = 'adfs' | 'wap' | 'mfa' | 'portal';

/** What the task does on each tier, for its description. */
const TASK_PURPOSE: Readonly<Record<RenewalTaskTier, string>> = {
  adfs: 'Moves AD FS to a renewed certificate',
  wap: 'Moves Web Application Proxy and its published applications to renewed certificates',
  mfa: 'Watches the certificate IIS serves for the Web Service SDK',
  portal: 'Watches the certificate IIS serves for the user portal and the mobile app web service',
};

/** The installer's parameter with the private addresses of the tier's other servers (AD FS and WAP: their renewal restarts only while a peer serves). */
export const PEER_ADDRESSES = 'PeerAddresses';

/** The tiers whose renewal restarts a service, and so checks its peers first. */
const restarts = (tier: RenewalTaskTier) => tier === 'adfs' || tier === 'wap';

/** The installer's Run Command: writes the renewal script (and the list of peers) and registers its task. */
export function renewalInstallerScript(renewal: RenderedScript, tier: RenewalTaskTier): RenderedScript {
  // The script travels as base64 of its UTF-8 text: no quote or `$` of it is read by the installer.
  const encoded = Buffer.from(renewal.text, 'utf8').toString('base64');
  const definition = crypto
    .createHash('sha256')
    .update(JSON.stringify([renewal.text, RENEWAL_TASK]))
    .digest('hex')
    .slice(0, 12);
  const description = `${TASK_PURPOSE[tier]} (MFA Server HA toolkit; definition ${definition})`;
  const task = RENEWAL_TASK;
  const parameters: ScriptParameter[] = restarts(tier)
    ? [{ name: PEER_ADDRESSES, secret: false, description: 'private addresses of the other servers of the tier, comma-separated' }]
    : [];
  return renderScript({
    name: 'certificate-renewal-task',
    summary: `install the certificate renewal task (${task.path}${task.name}): daily at ${task.dailyAt} and every ${task.repeatMinutes} minutes`,
    parameters,
    functions: [],
    steps: [
      {
        title: `register the event source ${RENEWAL_EVENT_SOURCE} in the Application log`,
        lines: [
          `if (Test-Path -Path ${psQuote(`HKLM:\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\${RENEWAL_EVENT_SOURCE}`)}) {`,
          "  Write-Step 'already registered'",
          '} else {',
          `  New-EventLog -LogName 'Application' -Source ${psQuote(RENEWAL_EVENT_SOURCE)}`,
          '}',
        ],
      },
      {
        title: `write the renewal script to %ProgramData%\\${task.folder}\\${task.file}${restarts(tier) ? ` and the tier's other servers to ${PEERS_FILE}` : ''}`,
        lines: [
          `$folder = Join-Path -Path $env:ProgramData -ChildPath ${psQuote(task.folder)}`,
          `$path = Join-Path -Path $folder -ChildPath ${psQuote(task.file)}`,
          'New-Item -ItemType Directory -Path $folder -Force | Out-Null',
          // SYSTEM runs what is in this folder: only SYSTEM and Administrators may own or write it and what it holds,
          // whoever made them first (well-known SIDs). Administrators take ownership of everything, every ACL is reset
          // to what it inherits, the folder keeps only the two grants, and whatever appeared meanwhile is taken too.
          "foreach ($arguments in @(@('/setowner', '*S-1-5-32-544', '/T'), @('/reset', '/T'), @('/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F'), @('/setowner', '*S-1-5-32-544', '/T'))) {",
          '  icacls.exe $folder @arguments | Out-Null',
          "  if ($LASTEXITCODE -ne 0) { throw ('icacls could not restrict {0} (exit code {1})' -f $folder, $LASTEXITCODE) }",
          '}',
          `$text = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(${psQuote(encoded)}))`,
          '$current = if (Test-Path -LiteralPath $path) { Get-Content -LiteralPath $path -Raw -Encoding UTF8 } else { $null }',
          'if ($current -ceq $text) {',
          "  Write-Step 'already current'",
          '} else {',
          // UTF-8 with a byte order mark, as Windows PowerShell 5.1 reads a .ps1 (-Encoding UTF8 writes one there).
          '  Set-Content -LiteralPath $path -Value $text -Encoding UTF8 -NoNewline',
          "  Write-Step 'written'",
          '}',
          ...(restarts(tier)
            ? [
                `$peers = @($${PEER_ADDRESSES}.Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ })`,
                `Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath ${psQuote(PEERS_FILE)}) -Value $peers -Encoding ASCII`,
                "Write-Step ('{0} other server(s) of the tier: {1}' -f $peers.Count, ($peers -join ', '))",
              ]
            : []),
        ],
      },
      {
        title: `register the scheduled task ${task.path}${task.name} (SYSTEM)`,
        lines: [
          `$description = ${psQuote(description)}`,
          // The definition registered last is kept in a file beside the script: the task object's members are not read.
          `$definitionFile = Join-Path -Path $folder -ChildPath ${psQuote(task.definitionFile)}`,
          `$existing = Get-ScheduledTask -TaskName ${psQuote(task.name)} -TaskPath ${psQuote(task.path)} -ErrorAction SilentlyContinue`,
          '$registered = if (Test-Path -LiteralPath $definitionFile) { (Get-Content -LiteralPath $definitionFile -Raw).Trim() } else { $null }',
          'if ($null -ne $existing -and $registered -ceq $description) {',
          "  Write-Step 'already registered with this definition: nothing to change'",
          '} else {',
          // This server's minute of the hour: the installer's text is the same on every server of the tier.
          `  $minute = ((([int]('0' + [regex]::Match($env:COMPUTERNAME, '\\d+$').Value)) - 1) * ${task.minuteStep}) % 60`,
          '  if ($minute -lt 0) { $minute = 0 }',
          "  $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument ('-NoProfile -NonInteractive -ExecutionPolicy Bypass -File \"{0}\"' -f $path)",
          `  $daily = New-ScheduledTaskTrigger -Daily -At ([datetime]${psQuote(task.dailyAt)}).AddMinutes($minute)`,
          `  $hourly = New-ScheduledTaskTrigger -Once -At (Get-Date).Date.AddMinutes($minute) -RepetitionInterval (New-TimeSpan -Minutes ${task.repeatMinutes}) -RepetitionDuration (New-TimeSpan -Days ${task.repeatForDays})`,
          "  $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest",
          `  $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Minutes ${task.timeLimitMinutes})`,
          `  $registration = @{ TaskName = ${psQuote(task.name)}; TaskPath = ${psQuote(task.path)}; Action = $action; Trigger = @($daily, $hourly); Principal = $principal; Settings = $settings; Description = $description; Force = $true }`,
          '  Register-ScheduledTask @registration | Out-Null',
          '  Set-Content -LiteralPath $definitionFile -Value $description -Encoding ASCII',
          "  Write-Step $(if ($null -eq $existing) { 'registered' } else { 'updated to this definition' })",
          '}',
        ],
      },
    ],
  });
}
