import { MOBILE_APP_WEB_SERVICE_PATH, USER_PORTAL_PATH } from '../../config/service-names';
import { resultStatus } from './adfs';
import { credentialFromVault, identityParameter, READ_KEY_VAULT_SECRET, RuntimeSecret } from './key-vault-secret';
import { PsStep, psQuote, renderScript, RenderedScript } from './powershell';
import { FIND_TLS_CERTIFICATE } from './tls';

/** Marks the hosts-file line the enrollment adds and removes. */
export const HOSTS_MARKER = '# mfa-ha: temporary, the federation service at its primary AD FS server while the proxy writes into the farm';

const PROXY_STATUS = "Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\ADFS' -Name 'ProxyConfigurationStatus' -ErrorAction SilentlyContinue";

/**
 * `$trust`: the proxy's valid trust certificate with the farm, or $null. The proxy keeps it in LocalMachine\My
 * as "ADFS ProxyTrust - <computer>" and renews it while it reaches the farm; once it expired, the farm no longer
 * answers the proxy, which must run Install-WebApplicationProxy again (the subject and the repair are from
 * the AD FS and WAP troubleshooting guidance; Microsoft documents no cmdlet that reads the trust).
 */
const PROXY_TRUST =
  "$trust = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $_.Subject -like 'CN=ADFS ProxyTrust*' -and $_.NotAfter -gt (Get-Date) } | Sort-Object -Property NotAfter -Descending) | Select-Object -First 1";

/** Props of the proxy enrollment. */
export interface EnrollmentProps {
  readonly federationServiceName: string;
  /** FQDN of the first AD FS server, the primary of the WID farm. */
  readonly primaryComputer: string;
  /** Administrator of the AD FS servers that registers the proxy. */
  readonly trustUsername: string;
  /** Where its password is: the script reads it at run time with the proxies' identity. */
  readonly trustPasswordSecret: RuntimeSecret;
}

/** `$hosts`: the path of the hosts file, which `throughPrimary` edits. */
export const HOSTS_FILE = "$hosts = Join-Path -Path $env:SystemRoot -ChildPath 'System32\\drivers\\etc\\hosts'";
/** Removes the marked hosts entries `throughPrimary` adds (`$hosts` set). */
export const REMOVE_MARKED_LINES = [
  `Set-Content -Path $hosts -Encoding ASCII -Value @(Get-Content -Path $hosts | Where-Object { -not $_.EndsWith(${psQuote(HOSTS_MARKER)}) })`,
  'Clear-DnsClientCache',
];

/** The first steps of both proxy scripts: the federation service name must resolve through the domain controllers. */
function resolvesThroughDns(federationServiceName: string): PsStep {
  return {
    title: `check that ${federationServiceName} resolves through the domain controllers`,
    lines: [
      HOSTS_FILE,
      ...REMOVE_MARKED_LINES,
      `if (@(Resolve-DnsName -Name ${psQuote(federationServiceName)} -Type A -DnsOnly -ErrorAction SilentlyContinue | Where-Object { $_.Type -eq 'A' }).Count -eq 0) {`,
      `  throw ${psQuote(`${federationServiceName} does not resolve: create the internal DNS records first (npm run dns -- <environment>)`)}`,
      '}',
    ],
  };
}

/**
 * Runs `lines` while a marked hosts entry points the federation service name at the primary AD FS server, and
 * removes the entry afterwards, whatever happened. Registering a proxy and publishing an application write into
 * the farm's configuration, and in a WID farm only the primary server holds a read/write copy of it; the
 * secondaries' copies are read-only ("The Role of the AD FS Configuration Database",
 * https://learn.microsoft.com/windows-server/identity/ad-fs/technical-reference/the-role-of-the-ad-fs-configuration-database).
 * Through the internal load balancer a write could land on a secondary. `$hosts` must be set (`HOSTS_FILE`).
 */
export function throughPrimary(props: { readonly federationServiceName: string; readonly primaryComputer: string }, lines: readonly string[]): string[] {
  return [
    `$primary = Resolve-DnsName -Name ${psQuote(props.primaryComputer)} -Type A -DnsOnly | Where-Object { $_.Type -eq 'A' } | Select-Object -First 1`,
    `if ($null -eq $primary) { throw ${psQuote(`${props.primaryComputer} does not resolve through the domain controllers`)} }`,
    // The entry is added inside the try: whatever fails after it, even the cache flush, the finally removes it.
    'try {',
    `  Add-Content -Path $hosts -Encoding ASCII -Value ('{0} {1} {2}' -f $primary.IPAddress, ${psQuote(props.federationServiceName)}, ${psQuote(HOSTS_MARKER)})`,
    '  Clear-DnsClientCache',
    ...lines.map((l) => `  ${l}`),
    '} finally {',
    ...REMOVE_MARKED_LINES.map((l) => `  ${l}`),
    '}',
  ];
}

/**
 * Registers one Web Application Proxy with the farm (`Install-WebApplicationProxy`). The proxies are not
 * domain members. "Deploy AD FS in Azure" gives each a permanent hosts entry pointing the federation service
 * name at the AD FS internal load balancer; here the VNet's DNS servers, the domain controllers, give the same
 * answer (their internal record points at that load balancer: split-brain DNS), so no permanent entry is
 * written. Only for the registration does a marked hosts entry point the name at the primary server instead
 * (see `throughPrimary`); it is removed afterwards.
 */
export function enrollProxyScript(props: EnrollmentProps): RenderedScript {
  const name = psQuote(props.federationServiceName);
  const steps: PsStep[] = [
    {
      title: 'stop here if this proxy is already registered and its trust with the farm holds',
      lines: [
        `$status = ${PROXY_STATUS}`,
        PROXY_TRUST,
        'if ($null -ne $status -and $status.ProxyConfigurationStatus -eq 2) {',
        "  if ($null -ne $trust) { Write-Step ('this proxy is already registered, its trust valid until {0:u}: nothing to change' -f $trust.NotAfter); exit 0 }",
        // The documented repair of a broken trust: Install-WebApplicationProxy again.
        "  Write-Step 'this proxy is registered, but holds no valid proxy trust certificate: it registers again'",
        '}',
      ],
    },
    resolvesThroughDns(props.federationServiceName),
    {
      title: `find the certificate of ${props.federationServiceName} and build the trust credential`,
      lines: [`$certificate = Find-TlsCertificate -DnsName ${name}`, credentialFromVault('trustCredential', props.trustUsername, props.trustPasswordSecret)],
    },
    {
      title: `register the proxy with the primary AD FS server ${props.primaryComputer}`,
      lines: throughPrimary(props, [
        `$proxy = @{ FederationServiceName = ${name}; CertificateThumbprint = $certificate.Thumbprint; FederationServiceTrustCredential = $trustCredential }`,
        '$result = Install-WebApplicationProxy @proxy',
        // Like the AD FS cmdlets, it reports a failed configuration in its result's Status.
        ...resultStatus('Install-WebApplicationProxy'),
        'Write-Step ($result | Out-String).Trim()',
      ]),
    },
    {
      title: 'check that the proxy reports itself registered, with a valid trust',
      lines: [
        `$status = ${PROXY_STATUS}`,
        "if ($null -eq $status -or $status.ProxyConfigurationStatus -ne 2) { throw 'the proxy configuration status is not 2 (configured)' }",
        PROXY_TRUST,
        "if ($null -eq $trust) { throw 'the proxy holds no valid proxy trust certificate (ADFS ProxyTrust) after its registration' }",
      ],
    },
  ];
  return renderScript({
    name: 'wap-enrollment',
    summary: `register this Web Application Proxy with the AD FS farm ${props.federationServiceName}`,
    parameters: [identityParameter("the proxies'")],
    functions: [READ_KEY_VAULT_SECRET, FIND_TLS_CERTIFICATE],
    steps,
  });
}

/** An application published through the proxies, with pass-through pre-authentication. */
export interface PublishedApplication {
  readonly name: string;
  /** External and backend URL, with the trailing slash the cmdlet requires. */
  readonly url: string;
}

/** The MFA user portal and mobile app web service, published under the portal name (split-brain: the backend is the portal load balancer). */
export function mfaPortalApplications(portalName: string): PublishedApplication[] {
  return [
    { name: 'MFA user portal', url: `https://${portalName}${USER_PORTAL_PATH}` },
    { name: 'MFA mobile app web service', url: `https://${portalName}${MOBILE_APP_WEB_SERVICE_PATH}` },
  ];
}

/** Props of the publishing script. */
export interface PublishingProps {
  readonly federationServiceName: string;
  /** FQDN of the first AD FS server, the primary of the WID farm, where the publishing is written. */
  readonly primaryComputer: string;
  readonly certificateName: string;
  readonly applications: readonly PublishedApplication[];
}

/** The Run Command that publishes applications through the proxies (read by the failure model: the portal is published where it runs). */
export const PUBLISHING_SCRIPT = 'wap-publishing';

/**
 * Publishes applications through the proxies (`Add-WebApplicationProxyApplication`, pass-through). The
 * publishing configuration lives in the farm, so one proxy publishes for all, through the primary AD FS server
 * like the registration (see `throughPrimary`). An application already published is updated only when its
 * certificate or URL differ.
 */
export function publishApplicationsScript(props: PublishingProps): RenderedScript {
  return renderScript({
    name: PUBLISHING_SCRIPT,
    summary: `publish ${props.applications.map((a) => a.url).join(' and ')} (pass-through)`,
    parameters: [],
    functions: [FIND_TLS_CERTIFICATE],
    steps: [
      {
        title: 'check that this proxy is registered',
        lines: [
          `$status = ${PROXY_STATUS}`,
          "if ($null -eq $status -or $status.ProxyConfigurationStatus -ne 2) { throw 'this proxy is not registered with the farm yet' }",
        ],
      },
      resolvesThroughDns(props.federationServiceName),
      { title: `find the certificate of ${props.certificateName}`, lines: [`$certificate = Find-TlsCertificate -DnsName ${psQuote(props.certificateName)}`] },
      ...props.applications.map((app) => ({
        title: `publish ${app.name} at ${app.url} through the primary AD FS server ${props.primaryComputer}`,
        lines: throughPrimary(props, [
          `$existing = @(Get-WebApplicationProxyApplication -Name ${psQuote(app.name)} -ErrorAction SilentlyContinue)`,
          'if ($existing.Count -eq 0) {',
          `  $application = @{ Name = ${psQuote(app.name)}; ExternalUrl = ${psQuote(app.url)}; BackendServerUrl = ${psQuote(app.url)}; ExternalCertificateThumbprint = $certificate.Thumbprint; ExternalPreauthentication = 'PassThrough' }`,
          '  Add-WebApplicationProxyApplication @application | Out-Null',
          "  Write-Step 'published'",
          `} elseif ($existing[0].ExternalCertificateThumbprint -ne $certificate.Thumbprint -or $existing[0].ExternalUrl -ne ${psQuote(app.url)} -or $existing[0].BackendServerUrl -ne ${psQuote(app.url)}) {`,
          `  Set-WebApplicationProxyApplication -ID $existing[0].ID -ExternalUrl ${psQuote(app.url)} -BackendServerUrl ${psQuote(app.url)} -ExternalCertificateThumbprint $certificate.Thumbprint`,
          "  Write-Step 'updated'",
          '} else {',
          "  Write-Step 'already published: nothing to change'",
          '}',
        ]),
      })),
    ],
  });
}

/**
 * Unpublishes applications from the proxies (`Remove-WebApplicationProxyApplication`), once for all proxies, through
 * the primary AD FS server like the publishing (see `throughPrimary`): stage entra retires the MFA user portal and
 * mobile app web service ("Disable MFA Server User portal", https://learn.microsoft.com/entra/identity/authentication/how-to-mfa-server-migration-utility).
 * Only an application with the name and the external URL the toolkit published is removed, by its ID: the cmdlet
 * removes every application whose name matches a wildcard, and all of them without one
 * (https://learn.microsoft.com/powershell/module/webapplicationproxy/remove-webapplicationproxyapplication).
 */
export function unpublishApplicationsScript(props: Omit<PublishingProps, 'certificateName'>): RenderedScript {
  return renderScript({
    name: 'wap-unpublishing',
    summary: `unpublish ${props.applications.map((a) => a.url).join(' and ')}`,
    parameters: [],
    functions: [],
    steps: [
      {
        title: 'check that this proxy is registered',
        lines: [
          `$status = ${PROXY_STATUS}`,
          "if ($null -eq $status -or $status.ProxyConfigurationStatus -ne 2) { throw 'this proxy is not registered with the farm' }",
        ],
      },
      resolvesThroughDns(props.federationServiceName),
      ...props.applications.map((app) => ({
        title: `unpublish ${app.name} at ${app.url} through the primary AD FS server ${props.primaryComputer}`,
        lines: throughPrimary(props, [
          `$published = @(Get-WebApplicationProxyApplication -Name ${psQuote(app.name)} -ErrorAction SilentlyContinue | Where-Object { $_.Name -eq ${psQuote(app.name)} -and $_.ExternalUrl -eq ${psQuote(app.url)} })`,
          'if ($published.Count -eq 0) {',
          "  Write-Step 'not published: nothing to change'",
          '} else {',
          '  Remove-WebApplicationProxyApplication -ID @($published | ForEach-Object { $_.ID })',
          "  Write-Step 'unpublished'",
          '}',
        ]),
      })),
    ],
  });
}
