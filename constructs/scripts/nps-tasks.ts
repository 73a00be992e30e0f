import * as crypto from 'crypto';
import { NPS_PROBE } from '../nps-tier';
import { AZURE_MFA_KEY, DRAIN_MARKER, GET_MISSING_NPS_EXTENSION_DLL } from './nps';
import { PsFunction, psQuote, renderScript, RenderedScript } from './powershell';

/*
 * What runs on every NPS server between deployments, as scheduled tasks the `nps-tasks` Run Command installs:
 *   - the health endpoint behind NPS_PROBE (the load balancer cannot probe UDP, and NPS listens on UDP only): an
 *     HTTP listener that answers 200 only while the Network Policy Server service (IAS) runs, the NPS extension for
 *     Microsoft Entra MFA is registered with NPS (without it NPS grants RADIUS access on the password alone) and no
 *     configuration step drains the server, asked at every probe, so that it is never stale; if the listener dies,
 *     the probe fails and the server leaves the rotation, and a watchdog trigger starts it again within minutes;
 *   - the hourly check of the NPS extension's client certificate, which writes an Application event when it nears
 *     its expiry or is gone, for the alerts of constructs/nps-client-certificates.ts.
 */

/** Where the tasks' scripts live: a folder only SYSTEM and Administrators may write (the tasks run them as SYSTEM). */
export const NPS_TASK_FOLDER = DRAIN_MARKER.folder;
/** Where the tasks are in Task Scheduler. */
export const NPS_TASK_PATH = '\\MFA-HA\\';

/** The health endpoint's task. */
export const HEALTH_TASK = {
  name: 'NPS health endpoint',
  file: 'Start-NpsHealthEndpoint.ps1',
  /** The watchdog: a trigger this often starts the listener again if it stopped (an instance that runs ignores it). */
  watchdogMinutes: 5,
} as const;

/** The certificate check's task, hourly like the Key Vault extension's polling. */
export const CERTIFICATE_TASK = {
  name: 'NPS client certificate check',
  file: 'Test-NpsClientCertificate.ps1',
  repeatMinutes: 60,
  timeLimitMinutes: 10,
} as const;

/** How long a repeating trigger lasts (Microsoft documents no default): the installer registers the task again whenever it changes. */
const REPEAT_FOR_DAYS = 3650;

/** The Windows Firewall rule that lets the load balancer's probes (from 168.63.129.16) reach the endpoint. */
export const PROBE_FIREWALL_RULE = { name: 'MFA-HA-NPS-Health', source: '168.63.129.16' } as const;

/** The Application log source of the certificate check's events. */
export const NPS_EVENT_SOURCE = 'MFA-HA-NpsExtension';

/** THE events of the certificate check. Warning and Error reach the workspace (constructs/server-logs.ts). */
export const NPS_CERTIFICATE_EVENTS = {
  nearExpiry: {
    id: 1101,
    level: 'Warning',
    what: 'the certificate CLIENT_CERT_IDENTIFIER names expires within the warning period: the renewed one has not been deployed',
  },
  invalid: {
    id: 1102,
    level: 'Error',
    what: 'the certificate CLIENT_CERT_IDENTIFIER names is not in LocalMachine\\My, or has expired: the NPS extension cannot reach Microsoft Entra MFA',
  },
} as const;

/**
 * Days before its expiry at which the configured client certificate raises the warning. Key Vault renews it 60 days
 * ahead (constructs/nps-client-certificates.ts), so this means: 30 days without a deploy since the renewal.
 */
export const NPS_CERTIFICATE_WARNING_DAYS = 30;

/** `Get-NpsHealth -Path <request path> -Marker <drain marker>`: the status code and text of one probe. */
const GET_NPS_HEALTH: PsFunction = {
  name: 'Get-NpsHealth',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)][string]$Marker)',
    `if ($Path -ne ${psQuote(NPS_PROBE.requestPath!)}) { return @(404, 'not found') }`,
    "$service = Get-Service -Name 'IAS' -ErrorAction SilentlyContinue",
    "if ($null -eq $service) { return @(503, 'the Network Policy Server service (IAS) is not installed') }",
    "if ([string]$service.Status -ne 'Running') { return @(503, ('IAS is {0}' -f $service.Status)) }",
    '$missing = @(Get-MissingNpsExtensionDll)',
    "if ($missing.Count -gt 0) { return @(503, ('the NPS extension for Microsoft Entra MFA is not registered with NPS ({0} missing): NPS alone would grant access on the password' -f ($missing -join ', '))) }",
    "if (Test-Path -LiteralPath $Marker) { return @(503, 'draining: a configuration step restarts IAS') }",
    "return @(200, 'IAS running')",
  ],
};

/**
 * The health endpoint: an HTTP listener (System.Net.HttpListener, which Windows serves through HTTP.sys,
 * https://learn.microsoft.com/dotnet/api/system.net.httplistener) on NPS_PROBE's port. A request that fails to be
 * answered (the prober went away) does not stop it.
 */
export function npsHealthListenerScript(): RenderedScript {
  return renderScript({
    name: 'nps-health-listener',
    summary: `answer the load balancer's probe on TCP ${NPS_PROBE.port.port} ${NPS_PROBE.requestPath}: 200 while IAS runs with the NPS extension and the server is not drained, 503 otherwise`,
    parameters: [],
    functions: [GET_MISSING_NPS_EXTENSION_DLL, GET_NPS_HEALTH],
    steps: [
      {
        title: `listen on http://+:${NPS_PROBE.port.port}/`,
        lines: [
          `$marker = Join-Path -Path (Join-Path -Path $env:ProgramData -ChildPath ${psQuote(DRAIN_MARKER.folder)}) -ChildPath ${psQuote(DRAIN_MARKER.file)}`,
          '$listener = New-Object -TypeName System.Net.HttpListener',
          `$listener.Prefixes.Add(${psQuote(`http://+:${NPS_PROBE.port.port}/`)})`,
          '$listener.Start()',
        ],
      },
      {
        title: 'answer each probe with the state of IAS',
        lines: [
          'try {',
          '  while ($listener.IsListening) {',
          '    $context = $listener.GetContext()',
          '    try {',
          '      $answer = Get-NpsHealth -Path $context.Request.Url.AbsolutePath -Marker $marker',
          '      $body = [Text.Encoding]::UTF8.GetBytes([string]$answer[1])',
          '      $context.Response.StatusCode = [int]$answer[0]',
          "      $context.Response.ContentType = 'text/plain; charset=utf-8'",
          '      $context.Response.ContentLength64 = $body.Length',
          '      $context.Response.OutputStream.Write($body, 0, $body.Length)',
          '      $context.Response.Close()',
          '    } catch {',
          "      Write-Step ('a probe was not answered: {0}' -f $_.Exception.Message)",
          '    }',
          '  }',
          '} finally {',
          '  $listener.Close()',
          '}',
        ],
      },
    ],
  });
}

/** `Write-NpsEvent -Kind <key> -Message <text>`: one line of output and one Application log event. */
const WRITE_NPS_EVENT: PsFunction = {
  name: 'Write-NpsEvent',
  lines: [
    `param([Parameter(Mandatory = $true)][ValidateSet(${Object.keys(NPS_CERTIFICATE_EVENTS).map(psQuote).join(', ')})][string]$Kind, [Parameter(Mandatory = $true)][string]$Message)`,
    `$events = @{ ${Object.entries(NPS_CERTIFICATE_EVENTS)
      .map(([k, e]) => `${k} = @(${e.id}, ${psQuote(e.level)})`)
      .join('; ')} }`,
    'Write-Step $Message',
    `Write-EventLog -LogName 'Application' -Source ${psQuote(NPS_EVENT_SOURCE)} -EventId $events[$Kind][0] -EntryType $events[$Kind][1] -Message $Message`,
  ],
};

/** The hourly check of the client certificate CLIENT_CERT_IDENTIFIER names. */
export function npsCertificateCheckScript(): RenderedScript {
  return renderScript({
    name: 'nps-certificate-check',
    summary: `warn when the NPS extension's client certificate expires within ${NPS_CERTIFICATE_WARNING_DAYS} days, is expired or is missing`,
    parameters: [],
    functions: [WRITE_NPS_EVENT],
    steps: [
      {
        title: 'check the certificate CLIENT_CERT_IDENTIFIER names',
        lines: [
          `$settings = Get-ItemProperty -Path ${psQuote(AZURE_MFA_KEY)} -ErrorAction SilentlyContinue`,
          "if ($null -eq $settings -or $null -eq $settings.PSObject.Properties['CLIENT_CERT_IDENTIFIER']) {",
          "  Write-Step 'CLIENT_CERT_IDENTIFIER is not set: the NPS extension is not configured here yet, nothing to check'",
          '} else {',
          '  $thumbprint = [string]$settings.CLIENT_CERT_IDENTIFIER',
          "  $certificate = Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $_.Thumbprint -eq $thumbprint } | Select-Object -First 1",
          '  $now = Get-Date',
          '  if ($null -eq $certificate) {',
          "    Write-NpsEvent -Kind 'invalid' -Message ('the NPS extension client certificate {0} (CLIENT_CERT_IDENTIFIER) is not in LocalMachine\\My: the extension cannot authenticate to Microsoft Entra MFA; deploy again, and check the Key Vault extension of this server' -f $thumbprint)",
          '  } elseif ($certificate.NotAfter -le $now) {',
          "    Write-NpsEvent -Kind 'invalid' -Message ('the NPS extension client certificate {0} expired on {1:u}: deploy again, which moves CLIENT_CERT_IDENTIFIER to the renewed certificate' -f $thumbprint, $certificate.NotAfter)",
          `  } elseif ($certificate.NotAfter -lt $now.AddDays(${NPS_CERTIFICATE_WARNING_DAYS})) {`,
          "    Write-NpsEvent -Kind 'nearExpiry' -Message ('the NPS extension client certificate {0} expires on {1:u}: Key Vault has renewed it; deploy again (cdktf deploy), which registers the renewed one and moves CLIENT_CERT_IDENTIFIER to it' -f $thumbprint, $certificate.NotAfter)",
          '  } else {',
          "    Write-Step ('certificate {0} is valid until {1:u}' -f $thumbprint, $certificate.NotAfter)",
          '  }',
          '}',
        ],
      },
    ],
  });
}

/** The statements that write one task script to its file, only when its text changed. */
function writeScriptFile(file: string, script: RenderedScript): string[] {
  // The script travels as base64 of its UTF-8 text: no quote or `$` of it is read by the installer.
  const encoded = Buffer.from(script.text, 'utf8').toString('base64');
  return [
    `$path = Join-Path -Path $folder -ChildPath ${psQuote(file)}`,
    `$text = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(${psQuote(encoded)}))`,
    '$current = if (Test-Path -LiteralPath $path) { Get-Content -LiteralPath $path -Raw -Encoding UTF8 } else { $null }',
    `if ($current -ceq $text) { Write-Step ${psQuote(`${file} is current`)} } else { Set-Content -LiteralPath $path -Value $text -Encoding UTF8 -NoNewline; Write-Step ${psQuote(`${file} written`)} }`,
  ];
}

/** A task's description carries a hash of its definition: the installer registers it again only when that changes. */
const definitionOf = (...parts: unknown[]) => crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);

/** The statements that register one task (SYSTEM) unless a task with the same definition is there; `$registered` says whether it did. */
function registerTask(task: { readonly name: string; readonly file: string }, description: string, triggers: string[], settings: string): string[] {
  return [
    `$existing = Get-ScheduledTask -TaskName ${psQuote(task.name)} -TaskPath ${psQuote(NPS_TASK_PATH)} -ErrorAction SilentlyContinue`,
    `$registered = -not ($null -ne $existing -and $existing.Description -ceq ${psQuote(description)})`,
    'if (-not $registered) {',
    "  Write-Step 'already registered with this definition'",
    '} else {',
    `  $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument ('-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "{0}"' -f (Join-Path -Path $folder -ChildPath ${psQuote(task.file)}))`,
    ...triggers.map((t) => `  ${t}`),
    "  $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest",
    `  $settings = ${settings}`,
    `  $registration = @{ TaskName = ${psQuote(task.name)}; TaskPath = ${psQuote(NPS_TASK_PATH)}; Action = $action; Trigger = $triggers; Principal = $principal; Settings = $settings; Description = ${psQuote(description)}; Force = $true }`,
    '  Register-ScheduledTask @registration | Out-Null',
    "  Write-Step $(if ($null -eq $existing) { 'registered' } else { 'updated to this definition' })",
    '}',
  ];
}

/**
 * The `nps-tasks` Run Command: the event source, the two scripts in %ProgramData%\MFA-HA, the firewall rule of the
 * probe, and the two tasks; the health endpoint is (re)started when its definition changed or it does not run.
 */
export function npsTasksScript(): RenderedScript {
  const listener = npsHealthListenerScript();
  const check = npsCertificateCheckScript();
  const healthDescription = `Answers the load balancer's probe of the NPS servers (MFA Server HA toolkit; definition ${definitionOf(listener.text, HEALTH_TASK)})`;
  const checkDescription = `Checks the NPS extension's client certificate (MFA Server HA toolkit; definition ${definitionOf(check.text, CERTIFICATE_TASK)})`;
  const port = NPS_PROBE.port.port;
  const ruleDescription = `The load balancer probes the NPS health endpoint (MFA Server HA toolkit; TCP ${port} from ${PROBE_FIREWALL_RULE.source})`;
  return renderScript({
    name: 'nps-tasks',
    summary: `install the NPS health endpoint (TCP ${port} ${NPS_PROBE.requestPath}) and the hourly client certificate check`,
    parameters: [],
    functions: [],
    steps: [
      {
        title: `register the event source ${NPS_EVENT_SOURCE} in the Application log`,
        lines: [
          `if (Test-Path -Path ${psQuote(`HKLM:\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\${NPS_EVENT_SOURCE}`)}) {`,
          "  Write-Step 'already registered'",
          '} else {',
          `  New-EventLog -LogName 'Application' -Source ${psQuote(NPS_EVENT_SOURCE)}`,
          '}',
        ],
      },
      {
        title: `write the tasks' scripts to %ProgramData%\\${NPS_TASK_FOLDER}`,
        lines: [
          `$folder = Join-Path -Path $env:ProgramData -ChildPath ${psQuote(NPS_TASK_FOLDER)}`,
          'New-Item -ItemType Directory -Path $folder -Force | Out-Null',
          // SYSTEM runs what is in this folder: only SYSTEM and Administrators may write it (well-known SIDs).
          "icacls.exe $folder /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' | Out-Null",
          "if ($LASTEXITCODE -ne 0) { throw ('icacls could not restrict {0} (exit code {1})' -f $folder, $LASTEXITCODE) }",
          ...writeScriptFile(HEALTH_TASK.file, listener),
          ...writeScriptFile(CERTIFICATE_TASK.file, check),
        ],
      },
      {
        title: `let the load balancer's probes (${PROBE_FIREWALL_RULE.source}) reach TCP ${port} through Windows Firewall`,
        lines: [
          `$rule = Get-NetFirewallRule -Name ${psQuote(PROBE_FIREWALL_RULE.name)} -ErrorAction SilentlyContinue`,
          `if ($null -ne $rule -and $rule.Description -ceq ${psQuote(ruleDescription)}) {`,
          "  Write-Step 'already allowed'",
          '} else {',
          `  if ($null -ne $rule) { Remove-NetFirewallRule -Name ${psQuote(PROBE_FIREWALL_RULE.name)} }`,
          `  New-NetFirewallRule -Name ${psQuote(PROBE_FIREWALL_RULE.name)} -DisplayName 'MFA HA: NPS health endpoint' -Description ${psQuote(ruleDescription)} -Direction Inbound -Action Allow -Protocol TCP -LocalPort ${psQuote(String(port))} -RemoteAddress ${psQuote(PROBE_FIREWALL_RULE.source)} -Profile Any | Out-Null`,
          '}',
        ],
      },
      {
        title: `register the task ${NPS_TASK_PATH}${HEALTH_TASK.name} (SYSTEM, at startup and every ${HEALTH_TASK.watchdogMinutes} minutes)`,
        lines: registerTask(
          HEALTH_TASK,
          healthDescription,
          [
            '$startup = New-ScheduledTaskTrigger -AtStartup',
            `$watchdog = New-ScheduledTaskTrigger -Once -At (Get-Date).Date -RepetitionInterval (New-TimeSpan -Minutes ${HEALTH_TASK.watchdogMinutes}) -RepetitionDuration (New-TimeSpan -Days ${REPEAT_FOR_DAYS})`,
            '$triggers = @($startup, $watchdog)',
          ],
          // No time limit (zero): the listener runs until the server stops; a second start while it runs is ignored.
          'New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Seconds 0) -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1)',
        ),
      },
      {
        title: 'start the health endpoint, again if its definition changed',
        lines: [
          `$task = Get-ScheduledTask -TaskName ${psQuote(HEALTH_TASK.name)} -TaskPath ${psQuote(NPS_TASK_PATH)}`,
          "if ($registered -and [string]$task.State -eq 'Running') {",
          `  Stop-ScheduledTask -TaskName ${psQuote(HEALTH_TASK.name)} -TaskPath ${psQuote(NPS_TASK_PATH)}`,
          '}',
          "if ($registered -or [string]$task.State -ne 'Running') {",
          `  Start-ScheduledTask -TaskName ${psQuote(HEALTH_TASK.name)} -TaskPath ${psQuote(NPS_TASK_PATH)}`,
          "  Write-Step 'started'",
          '} else {',
          "  Write-Step 'already running'",
          '}',
        ],
      },
      {
        title: `register the task ${NPS_TASK_PATH}${CERTIFICATE_TASK.name} (SYSTEM, every ${CERTIFICATE_TASK.repeatMinutes} minutes)`,
        lines: registerTask(
          CERTIFICATE_TASK,
          checkDescription,
          [
            `$hourly = New-ScheduledTaskTrigger -Once -At (Get-Date).Date -RepetitionInterval (New-TimeSpan -Minutes ${CERTIFICATE_TASK.repeatMinutes}) -RepetitionDuration (New-TimeSpan -Days ${REPEAT_FOR_DAYS})`,
            '$triggers = @($hourly)',
          ],
          `New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Minutes ${CERTIFICATE_TASK.timeLimitMinutes})`,
        ),
      },
    ],
  });
}
