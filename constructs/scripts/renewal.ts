import { PsFunction, PsStep, psQuote, renderScript, RenderedScript } from './powershell';
import { FIND_TLS_CERTIFICATE } from './tls';
import { HOSTS_FILE, REMOVE_MARKED_LINES, throughPrimary } from './wap';

/*
 * Certificate renewals without a person. The Key Vault extension installs a renewed certificate beside the old
 * one; IIS follows it (linkOnRenewal), AD FS and Web Application Proxy keep the thumbprint they were given. A
 * scheduled task on every AD FS and WAP server runs the renewal script below: it finds the newest valid
 * certificate and moves AD FS or WAP to it with Microsoft's documented steps, writing each action to the
 * Application event log, which the data collection rules collect (constructs/server-logs.ts: Application
 * warnings and errors). The steps are data: the script and the README's renewal flow read the same table.
 */

/** A Microsoft page a step rests on. */
export interface RenewalSource {
  readonly title: string;
  readonly url: string;
}

const MANAGE_SSL: RenewalSource = {
  title: 'Manage SSL certificates in AD FS and WAP in Windows Server 2016',
  url: 'https://learn.microsoft.com/windows-server/identity/ad-fs/operations/manage-ssl-certificates-ad-fs-wap',
};
const ADFS_FAQ: RenewalSource = {
  title: 'AD FS FAQ: update the SSL certificate with netsh, node by node',
  url: 'https://learn.microsoft.com/windows-server/identity/ad-fs/overview/ad-fs-faq',
};
const SET_ADFS_CERTIFICATE: RenewalSource = { title: 'Set-AdfsCertificate', url: 'https://learn.microsoft.com/powershell/module/adfs/set-adfscertificate' };
const SET_WAP_APPLICATION: RenewalSource = {
  title: 'Set-WebApplicationProxyApplication',
  url: 'https://learn.microsoft.com/powershell/module/webapplicationproxy/set-webapplicationproxyapplication',
};

const ADFS_CONFIGURATION_DATABASE: RenewalSource = {
  title: 'The Role of the AD FS Configuration Database',
  url: 'https://learn.microsoft.com/windows-server/identity/ad-fs/technical-reference/the-role-of-the-ad-fs-configuration-database',
};

/** Where the Application log gets the renewal's events from: the source the installer registers. */
export const RENEWAL_EVENT_SOURCE = 'MFA-HA-CertRenewal';

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
  nearExpiry: { id: 1002, level: 'Warning', what: 'the newest certificate for a name expires within the warning period: no renewal has arrived' },
  failed: { id: 1003, level: 'Error', what: 'a step failed: the event names it and the error; what it was changing keeps the certificate it had (AD FS rolls back the server\'s bindings)' },
} as const satisfies Record<string, RenewalEvent>;

/**
 * A certificate still this close to its expiry on a server means no renewal reached it: the lab certificates
 * renew 30 days ahead (constructs/certificates.ts), and the extension and the task look every hour.
 */
export const EXPIRY_WARNING_DAYS = 21;

/** One step of the renewal, as the README lists it. */
export interface RenewalStep {
  readonly title: string;
  /** Where it runs: every server of the tier, or only where the farm accepts writes. */
  readonly where: string;
  readonly sources: readonly RenewalSource[];
  readonly lines: readonly string[];
}

/** The AD FS application id of the HTTP.sys bindings (the FAQ's netsh commands). */
const ADFS_APP_ID = '{5d89a20c-beab-4389-9447-324788eb944a}';

/** `Write-RenewalEvent -Kind <key> -Message <text>`: one line of output and one Application log event. */
const WRITE_RENEWAL_EVENT: PsFunction = {
  name: 'Write-RenewalEvent',
  lines: [
    `param([Parameter(Mandatory = $true)][ValidateSet(${Object.keys(RENEWAL_EVENTS).map(psQuote).join(', ')})][string]$Kind, [Parameter(Mandatory = $true)][string]$Message)`,
    `$events = @{ ${Object.entries(RENEWAL_EVENTS).map(([k, e]) => `${k} = @(${e.id}, ${psQuote(e.level)})`).join('; ')} }`,
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

/** The AD FS service account, as the private key's access list names it. */
export type RenewalServiceAccount = { readonly gmsa: string } | { readonly username: string };

/**
 * Grants read access to the private key: found by its container name (certutil), in the machine key folders
 * of CNG or CryptoAPI, granted with icacls. Idempotent: a second grant changes nothing.
 */
function grantKeyRead(accounts: readonly string[]): string[] {
  return [
    "$container = @(certutil.exe -store 'My' $certificate.Thumbprint | ForEach-Object { if ([string]$_ -match '^\\s*Unique container name:\\s*(\\S.*)$') { $Matches[1].Trim() } }) | Select-Object -First 1",
    "if (-not $container) { throw ('certutil found no private key container for {0}' -f $certificate.Thumbprint) }",
    "$keyFile = @('Microsoft\\Crypto\\Keys', 'Microsoft\\Crypto\\RSA\\MachineKeys') | ForEach-Object { Join-Path -Path $env:ProgramData -ChildPath (Join-Path -Path $_ -ChildPath $container) } | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1",
    "if (-not $keyFile) { throw ('the private key file {0} is in neither machine key folder' -f $container) }",
    `foreach ($account in ${`@(${accounts.map(psQuote).join(', ')})`}) {`,
    "  icacls.exe $keyFile /grant ('{0}:R' -f $account) | Out-Null",
    "  if ($LASTEXITCODE -ne 0) { throw ('icacls could not grant {0} read access to the private key (exit code {1})' -f $account, $LASTEXITCODE) }",
    '}',
  ];
}

/** netsh's binding of one AD FS endpoint to a thumbprint (the FAQ's command, `update` instead of delete and add). */
const NETSH_BIND = (binding: string, thumbprint: string) =>
  `netsh.exe http update sslcert ('hostnameport={0}:{1}' -f ${binding}.HostName, ${binding}.PortNumber) ('certhash={0}' -f ${thumbprint}) 'appid=${ADFS_APP_ID}' 'certstorename=MY' 'sslctlstorename=AdfsTrustedDevices' | Out-Null`;

/** The AD FS renewal, step by step: the same list renders the script and the README's flow. */
export function adfsRenewalSteps(props: { readonly federationServiceName: string; readonly serviceAccount: RenewalServiceAccount }): RenewalStep[] {
  const account = 'gmsa' in props.serviceAccount ? props.serviceAccount.gmsa : props.serviceAccount.username;
  const name = psQuote(props.federationServiceName);
  return [
    {
      title: `find the newest valid certificate for ${props.federationServiceName}`,
      where: 'every server',
      sources: [MANAGE_SSL],
      lines: [`$certificate = Find-RenewedCertificate -DnsName ${name}`, '$role = (Get-AdfsSyncProperties).Role', "$primary = $role -eq 'PrimaryComputer'"],
    },
    {
      title: 'compare it with the certificates AD FS uses',
      where: 'every server',
      sources: [{ title: 'Get-AdfsSslCertificate', url: 'https://learn.microsoft.com/powershell/module/adfs/get-adfssslcertificate' }],
      lines: [
        '$bindings = @(Get-AdfsSslCertificate)',
        '$stale = @($bindings | Where-Object { $_.CertificateHash -ne $certificate.Thumbprint })',
        // Service communications is farm configuration: only the WID primary accepts writes, the others follow it.
        "$communications = if ($primary) { @(Get-AdfsCertificate -CertificateType 'Service-Communications')[0].Thumbprint } else { $certificate.Thumbprint }",
        'if ($stale.Count -eq 0 -and $communications -eq $certificate.Thumbprint) {',
        "  Write-Step ('AD FS ({0}) already uses {1}, valid until {2:u}: nothing to change' -f $role, $certificate.Thumbprint, $certificate.NotAfter)",
        '  exit 0',
        '}',
      ],
    },
    {
      title: `give ${account} and the AD FS service read access to the new private key`,
      where: 'every server',
      sources: [MANAGE_SSL],
      // NT SERVICE\adfssrv is the principal Set-AdfsSslCertificate grants; the service account reads the service-communications key.
      lines: [...grantKeyRead([account, 'NT SERVICE\\adfssrv']), "Write-RenewalEvent -Kind 'changed' -Message ('granted read access to the private key of {0}' -f $certificate.Thumbprint)"],
    },
    {
      title: 'set the service-communications certificate and bind the new certificate to every AD FS endpoint of this server',
      where: 'every server; the service-communications certificate on the WID primary only',
      sources: [SET_ADFS_CERTIFICATE, ADFS_FAQ],
      lines: [
        '$done = @()',
        '$previousCommunications = $communications',
        'try {',
        '  if ($communications -ne $certificate.Thumbprint) {',
        "    Set-AdfsCertificate -CertificateType 'Service-Communications' -Thumbprint $certificate.Thumbprint",
        "    Write-RenewalEvent -Kind 'changed' -Message ('service-communications certificate: {0} replaces {1}' -f $certificate.Thumbprint, $previousCommunications)",
        '    $communications = $certificate.Thumbprint',
        '  }',
        '  foreach ($binding in $stale) {',
        `    ${NETSH_BIND('$binding', '$certificate.Thumbprint')}`,
        "    if ($LASTEXITCODE -ne 0) { throw ('netsh could not bind {0}:{1} to {2} (exit code {3})' -f $binding.HostName, $binding.PortNumber, $certificate.Thumbprint, $LASTEXITCODE) }",
        '    $done += $binding',
        "    Write-RenewalEvent -Kind 'changed' -Message ('{0}:{1}: {2} replaces {3}' -f $binding.HostName, $binding.PortNumber, $certificate.Thumbprint, $binding.CertificateHash)",
        '  }',
        '} catch {',
        '  $cause = $_',
        // Back to the certificate each binding had: still valid, since the new one was found only among valid ones.
        '  foreach ($binding in $done) {',
        `    ${NETSH_BIND('$binding', '$binding.CertificateHash')}`,
        '  }',
        "  if ($communications -ne $previousCommunications) { Set-AdfsCertificate -CertificateType 'Service-Communications' -Thumbprint $previousCommunications }",
        "  throw ('{0} (rolled back: {1} binding(s){2})' -f $cause.Exception.Message, $done.Count, $(if ($communications -ne $previousCommunications) { ' and the service-communications certificate' } else { '' }))",
        '}',
      ],
    },
    {
      title: 'restart AD FS so that it serves the new certificate, and check its bindings',
      where: 'every server',
      sources: [ADFS_FAQ],
      lines: [
        "Restart-Service -Name 'adfssrv'",
        "Write-RenewalEvent -Kind 'changed' -Message ('restarted AD FS (adfssrv, {0}) with certificate {1}' -f $role, $certificate.Thumbprint)",
        '$left = @(Get-AdfsSslCertificate | Where-Object { $_.CertificateHash -ne $certificate.Thumbprint })',
        "if ($left.Count -gt 0) { throw ('{0} AD FS binding(s) still use another certificate' -f $left.Count) }",
      ],
    },
  ];
}

/** The WAP renewal, step by step. */
export function wapRenewalSteps(props: { readonly federationServiceName: string; readonly primaryComputer: string }): RenewalStep[] {
  return [
    {
      title: `set the proxy's SSL certificate to the newest valid one for ${props.federationServiceName}`,
      where: 'every proxy',
      sources: [MANAGE_SSL],
      lines: [
        `$certificate = Find-RenewedCertificate -DnsName ${psQuote(props.federationServiceName)}`,
        '$stale = @(Get-WebApplicationProxySslCertificate | Where-Object { $_.CertificateHash -ne $certificate.Thumbprint })',
        '$changed = $stale.Count -gt 0',
        'if ($changed) {',
        '  Set-WebApplicationProxySslCertificate -Thumbprint $certificate.Thumbprint',
        "  Write-RenewalEvent -Kind 'changed' -Message ('proxy SSL certificate: {0} replaces {1}' -f $certificate.Thumbprint, (@($stale | ForEach-Object { $_.CertificateHash } | Select-Object -Unique) -join ', '))",
        '}',
      ],
    },
    {
      title: 'set the external certificate of every published application to the newest valid one for its name',
      where: `every proxy; written through the WID primary ${props.primaryComputer}, else through the AD FS load balancer`,
      sources: [SET_WAP_APPLICATION, ADFS_CONFIGURATION_DATABASE],
      // Every application, the MFA user portal and mobile app web service included, by the host of its external URL.
      lines: [
        '$pending = @()',
        'foreach ($application in @(Get-WebApplicationProxyApplication)) {',
        '  $external = $null',
        // An application published with a certificate this server does not hold is not the toolkit's to renew.
        '  try { $external = Find-RenewedCertificate -DnsName ([uri]$application.ExternalUrl).Host } catch { Write-Step (\'{0}: {1}; left as it is\' -f $application.Name, $_.Exception.Message) }',
        '  if ($null -ne $external -and $application.ExternalCertificateThumbprint -ne $external.Thumbprint) { $pending += [pscustomobject]@{ Application = $application; Certificate = $external } }',
        '}',
        'if ($pending.Count -gt 0) {',
        '  $update = { foreach ($change in $pending) { Set-WebApplicationProxyApplication -ID $change.Application.ID -ExternalCertificateThumbprint $change.Certificate.Thumbprint } }',
        // The farm's proxy configuration is written on its primary (as the publishing does). A primary promoted
        // since (Set-AdfsSyncProperties) is not the one this script names: then the load balancer reaches it.
        '  try {',
        `    ${HOSTS_FILE}`,
        ...throughPrimary(props, ['& $update']).map((l) => `    ${l}`),
        '  } catch {',
        `    Write-Step ('through {0}: {1}; again through the AD FS load balancer' -f ${psQuote(props.primaryComputer)}, $_.Exception.Message)`,
        // Whatever failed, no marked entry may still point the name at that server.
        ...REMOVE_MARKED_LINES.map((l) => `    ${l}`),
        '    & $update',
        '  }',
        '  foreach ($change in $pending) {',
        "    Write-RenewalEvent -Kind 'changed' -Message ('{0} ({1}): {2} replaces {3}' -f $change.Application.Name, $change.Application.ExternalUrl, $change.Certificate.Thumbprint, $change.Application.ExternalCertificateThumbprint)",
        '  }',
        '  $changed = $true',
        '}',
      ],
    },
    {
      title: 'restart the proxy when its certificate changed',
      where: 'every proxy',
      sources: [ADFS_FAQ],
      lines: [
        'if (-not $changed) {',
        "  Write-Step ('the proxy and its applications already use the newest certificates ({0}, valid until {1:u}): nothing to change' -f $certificate.Thumbprint, $certificate.NotAfter)",
        '  exit 0',
        '}',
        'if ($stale.Count -gt 0) {',
        "  Restart-Service -Name 'appproxysvc'",
        "  Write-RenewalEvent -Kind 'changed' -Message ('restarted Web Application Proxy (appproxysvc) on certificate {0}' -f $certificate.Thumbprint)",
        '}',
      ],
    },
  ];
}

/** The renewal script's name: its log prefix, and the step its failure events name. */
const RENEWAL_SCRIPT_NAME = 'certificate-renewal';

/** Logs a failed step as an Error event, then the renderer exits 1 naming it. */
const LOG_FAILURE = [
  `Write-EventLog -LogName 'Application' -Source ${psQuote(RENEWAL_EVENT_SOURCE)} -EventId ${RENEWAL_EVENTS.failed.id} -EntryType '${RENEWAL_EVENTS.failed.level}' -Message ('${RENEWAL_SCRIPT_NAME} failed at "{0}": {1}' -f $step, $failure.Exception.Message)`,
];

/** The renewal script of a tier, rendered from its steps. */
export function renewalScript(tier: 'adfs' | 'wap', steps: readonly RenewalStep[], federationServiceName: string): RenderedScript {
  return renderScript({
    name: RENEWAL_SCRIPT_NAME,
    summary: `move ${tier === 'adfs' ? 'AD FS' : 'Web Application Proxy'} to the newest valid certificate for ${federationServiceName} (scheduled task)`,
    parameters: [],
    functions: [FIND_TLS_CERTIFICATE, WRITE_RENEWAL_EVENT, FIND_RENEWED_CERTIFICATE],
    steps: steps.map((s): PsStep => ({ title: s.title, lines: s.lines })),
    onFailure: LOG_FAILURE,
  });
}
