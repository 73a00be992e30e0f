import { PsFunction, PsStep, psQuote, renderScript, RenderedScript } from './powershell';
import { FIND_TLS_CERTIFICATE } from './tls';

/*
 * Certificate renewals without a person. The Key Vault extension installs a renewed certificate beside the old
 * one; IIS follows it (linkOnRenewal), AD FS and Web Application Proxy keep the thumbprint they were given. A
 * scheduled task on every server runs a script (./renewal-adfs.ts, ./renewal-wap.ts, ./renewal-iis.ts): it finds
 * the newest valid certificate and moves AD FS or WAP to it with Microsoft's documented steps, or, on the MFA and
 * portal servers, watches the certificate IIS serves, writing each action to the Application event log, which the
 * data collection rules collect (constructs/server-logs.ts: Application warnings and errors). The steps are data:
 * each script and the README's renewal flow read the same tables. This module holds what they share.
 */

/** A Microsoft page a step rests on. */
export interface RenewalSource {
  readonly title: string;
  readonly url: string;
}

export const MANAGE_SSL: RenewalSource = {
  title: 'Manage SSL certificates in AD FS and WAP in Windows Server 2016',
  url: 'https://learn.microsoft.com/windows-server/identity/ad-fs/operations/manage-ssl-certificates-ad-fs-wap',
};
export const ADFS_FAQ: RenewalSource = {
  title: 'AD FS FAQ: update the SSL certificate with netsh, node by node',
  url: 'https://learn.microsoft.com/windows-server/identity/ad-fs/overview/ad-fs-faq',
};

/** Where the Application log gets the renewal's events from: the source the installer registers. */
export const RENEWAL_EVENT_SOURCE = 'MFA-HA-CertRenewal';

/** The folder under %ProgramData% of the renewal script, its list of peers and its pending-restart markers. */
export const RENEWAL_FOLDER = 'MFA-HA';
/** The file, in RENEWAL_FOLDER, that lists the private addresses of the other servers of the tier, one a line. */
export const PEERS_FILE = 'peers.txt';

/** An event the renewal writes to the Application log. */
export interface RenewalEvent {
  readonly id: number;
  /** Warning and Error reach the workspace (the data collection rules take Application problems only). */
  readonly level: 'Warning' | 'Error';
  readonly what: string;
}

/** THE events of the renewal, by what they report. "Nothing to change" writes none: it is no action. */
export const RENEWAL_EVENTS = {
  changed: { id: 1001, level: 'Warning', what: 'a binding moved to the renewed certificate (one event per action)' },
  nearExpiry: {
    id: 1002,
    level: 'Warning',
    what: 'the newest certificate for a name, or the one a server serves, expires within the warning period: no renewal has arrived',
  },
  failed: {
    id: 1003,
    level: 'Error',
    what: 'a step failed, or a certificate a server serves has expired: the event names it; what a failed step was changing keeps the certificate it had (AD FS puts its bindings back and restarts)',
  },
  deferred: {
    id: 1004,
    level: 'Warning',
    what: 'a restart waits: no other server of the tier answers its probe, so this one keeps serving; the next hourly run tries again',
  },
} as const satisfies Record<string, RenewalEvent>;

/**
 * A certificate still this close to its expiry on a server means no renewal reached it: the lab certificates
 * renew 30 days ahead (constructs/certificates.ts), and the extension and the task look every hour.
 */
export const EXPIRY_WARNING_DAYS = 21;

/** One step of a renewal, as the README lists it. */
export interface RenewalStep {
  readonly title: string;
  /** Where it runs: every server of the tier, or only where the farm accepts writes. */
  readonly where: string;
  readonly sources: readonly RenewalSource[];
  readonly lines: readonly string[];
}

/** `Write-RenewalEvent -Kind <key> -Message <text>`: one line of output and one Application log event. */
const WRITE_RENEWAL_EVENT: PsFunction = {
  name: 'Write-RenewalEvent',
  lines: [
    `param([Parameter(Mandatory = $true)][ValidateSet(${Object.keys(RENEWAL_EVENTS).map(psQuote).join(', ')})][string]$Kind, [Parameter(Mandatory = $true)][string]$Message)`,
    `$events = @{ ${Object.entries(RENEWAL_EVENTS)
      .map(([k, e]) => `${k} = @(${e.id}, ${psQuote(e.level)})`)
      .join('; ')} }`,
    'Write-Step $Message',
    `Write-EventLog -LogName 'Application' -Source ${psQuote(RENEWAL_EVENT_SOURCE)} -EventId $events[$Kind][0] -EntryType $events[$Kind][1] -Message $Message`,
  ],
};

/** `Find-RenewedCertificate -DnsName <name>`: the newest valid certificate, and a warning event when it expires soon. */
const FIND_RENEWED_CERTIFICATE: PsFunction = {
  name: 'Find-RenewedCertificate',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$DnsName)',
    '$certificate = Find-TlsCertificate -DnsName $DnsName',
    `if ($certificate.NotAfter -lt (Get-Date).AddDays(${EXPIRY_WARNING_DAYS})) {`,
    // Only the certificate is returned: the event's line of output is dropped here, the event itself is written.
    `  $null = Write-RenewalEvent -Kind 'nearExpiry' -Message ('the newest certificate for {0} ({1}) expires on {2:u}: no renewal has reached this server; check the certificate in Key Vault and the Key Vault extension' -f $DnsName, $certificate.Thumbprint, $certificate.NotAfter)`,
    '}',
    'return $certificate',
  ],
};

/**
 * `Find-PeerServing`: the first other server of the tier (PEERS_FILE) that answers its load balancer's probe
 * (`/adfs/probe` over HTTP 80, on AD FS and the proxies alike), or $null when none does. A renewal restarts its
 * service only while a peer serves, so that it never takes down the last serving server of its tier.
 */
export const FIND_PEER_SERVING: PsFunction = {
  name: 'Find-PeerServing',
  lines: [
    `$file = Join-Path -Path (Join-Path -Path $env:ProgramData -ChildPath ${psQuote(RENEWAL_FOLDER)}) -ChildPath ${psQuote(PEERS_FILE)}`,
    "if (-not (Test-Path -LiteralPath $file)) { throw ('{0} is missing: the renewal task installer writes it (Run Command certificate-renewal-task)' -f $file) }",
    '$peers = @(Get-Content -LiteralPath $file | Where-Object { $_ })',
    'foreach ($peer in $peers) {',
    // Nothing else may reach the output: it is the function's result.
    "  try { if ((Invoke-WebRequest -Uri ('http://{0}/adfs/probe' -f $peer) -UseBasicParsing -TimeoutSec 10).StatusCode -eq 200) { return $peer } } catch { $null = $_ }",
    '}',
    'return $null',
  ],
};

/**
 * A file in RENEWAL_FOLDER that says a service must still restart: written before the bindings it must serve change,
 * removed once it restarted on them. A run that finds it restarts the service, even when nothing else is left
 * to change, so that a failed restart is repaired by the next run.
 */
export const pendingRestartMarker = (service: string) =>
  `$restartMarker = Join-Path -Path (Join-Path -Path $env:ProgramData -ChildPath ${psQuote(RENEWAL_FOLDER)}) -ChildPath ${psQuote(`${service}.restart-pending`)}`;

/** The renewal script's name: its log prefix, and the step its failure events name. */
const RENEWAL_SCRIPT_NAME = 'certificate-renewal';

/** Logs a failed step as an Error event, then the renderer exits 1 naming it. */
const LOG_FAILURE = [
  `Write-EventLog -LogName 'Application' -Source ${psQuote(RENEWAL_EVENT_SOURCE)} -EventId ${RENEWAL_EVENTS.failed.id} -EntryType '${RENEWAL_EVENTS.failed.level}' -Message ('${RENEWAL_SCRIPT_NAME} failed at "{0}": {1}' -f $step, $failure.Exception.Message)`,
];

/** The servers a renewal script runs on: AD FS and the proxies move their certificates; IIS servers are watched. */
export type RenewalTier = 'adfs' | 'wap' | 'iis';

const SUMMARIES: Readonly<Record<RenewalTier, string>> = {
  adfs: 'move AD FS to the newest valid certificate',
  wap: 'move Web Application Proxy and its published applications to the newest valid certificates',
  iis: 'watch the certificate IIS serves',
};

/** The renewal script of a tier, rendered from its steps and the functions they call. */
export function renewalScript(tier: RenewalTier, steps: readonly RenewalStep[], name: string, functions: readonly PsFunction[] = []): RenderedScript {
  return renderScript({
    name: RENEWAL_SCRIPT_NAME,
    summary: `${SUMMARIES[tier]} for ${name} (scheduled task)`,
    parameters: [],
    functions: [FIND_TLS_CERTIFICATE, WRITE_RENEWAL_EVENT, FIND_RENEWED_CERTIFICATE, ...functions],
    steps: steps.map((s): PsStep => ({ title: s.title, lines: s.lines })),
    onFailure: LOG_FAILURE,
  });
}
