import * as crypto from 'crypto';
import { psQuote, renderScript, RenderedScript } from './powershell';
import { RENEWAL_EVENT_SOURCE } from './renewal';

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
  folder: 'MFA-HA',
  file: 'Update-CertificateBindings.ps1',
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

/** The installer's Run Command: writes the renewal script and registers its task. */
export function renewalInstallerScript(renewal: RenderedScript, tier: 'adfs' | 'wap'): RenderedScript {
  // The script travels as base64 of its UTF-8 text: no quote or `$` of it is read by the installer.
  const encoded = Buffer.from(renewal.text, 'utf8').toString('base64');
  const definition = crypto.createHash('sha256').update(JSON.stringify([renewal.text, RENEWAL_TASK])).digest('hex').slice(0, 12);
  const description = `Moves ${tier === 'adfs' ? 'AD FS' : 'Web Application Proxy'} to a renewed certificate (MFA Server HA toolkit; definition ${definition})`;
  const task = RENEWAL_TASK;
  return renderScript({
    name: 'certificate-renewal-task',
    summary: `install the certificate renewal task (${task.path}${task.name}): daily at ${task.dailyAt} and every ${task.repeatMinutes} minutes`,
    parameters: [],
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
        title: `write the renewal script to %ProgramData%\\${task.folder}\\${task.file}`,
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
          "  Write-Step $(if ($null -eq $existing) { 'registered' } else { 'updated to this definition' })",
          '}',
        ],
      },
    ],
  });
}
