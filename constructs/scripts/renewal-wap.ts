import { NETSH_HTTP } from './http-sys';
import { PsFunction, psQuote } from './powershell';
import { ADFS_FAQ, EXPIRY_WARNING_DAYS, FIND_PEER_SERVING, MANAGE_SSL, PEERS_FILE, pendingRestartMarker, RenewalSource, RenewalStep } from './renewal';
import { HOSTS_FILE, REMOVE_MARKED_LINES, throughPrimary } from './wap';

/*
 * The renewal on a Web Application Proxy. The proxy's own SSL certificate is per server: it moves, and the proxy
 * restarts, while another proxy answers its probe (a pending-restart marker carries a restart a failed run owes).
 * The published applications' certificates are farm configuration, which Set-WebApplicationProxyApplication
 * accepts only with a certificate in the calling proxy's own store, while the Key Vault extension brings a renewal
 * to each proxy at its own time. So each proxy advertises, in an HTTP.sys binding of its own, the newest
 * certificate it holds for each application's name, and reads the others' over TLS: the farm moves only forward,
 * and only once every proxy holds the new certificate.
 */

const SET_WAP_APPLICATION: RenewalSource = {
  title: 'Set-WebApplicationProxyApplication',
  url: 'https://learn.microsoft.com/powershell/module/webapplicationproxy/set-webapplicationproxyapplication',
};
const ADFS_CONFIGURATION_DATABASE: RenewalSource = {
  title: 'The Role of the AD FS Configuration Database',
  url: 'https://learn.microsoft.com/windows-server/identity/ad-fs/technical-reference/the-role-of-the-ad-fs-configuration-database',
};
const GET_WAP_SSL_CERTIFICATE = 'https://learn.microsoft.com/powershell/module/webapplicationproxy/get-webapplicationproxysslcertificate';

/** The application id of the bindings a proxy advertises its certificates with: the toolkit's, no service's. */
export const HOLDING_APP_ID = '{8f0c3d55-5b52-4a5e-9c3b-6d2a1f1b7e01}';
/** A proxy advertises the newest certificate it holds for `host` under this prefix and the host (SNI, port 443). */
export const HOLDING_PREFIX = 'mfa-ha-holds.';

/** `Set-HoldingBinding -HostName <h> -Thumbprint <t>`: the HTTP.sys binding that advertises this proxy's newest certificate for a name. */
const SET_HOLDING_BINDING: PsFunction = {
  name: 'Set-HoldingBinding',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$HostName, [Parameter(Mandatory = $true)][string]$Thumbprint)',
    `$endpoint = (${psQuote(`${HOLDING_PREFIX}{0}:443`)} -f $HostName)`,
    "$shown = @(netsh.exe http show sslcert ('hostnameport={0}' -f $endpoint))",
    "$verb = if ($LASTEXITCODE -eq 0) { 'update' } else { 'add' }",
    "if ($verb -eq 'update' -and @($shown | Where-Object { [string]$_ -match ('^\\s+Certificate Hash\\s*:\\s*{0}\\s*$' -f $Thumbprint) }).Count -gt 0) { return }",
    `$output = @(netsh.exe http $verb sslcert ('hostnameport={0}' -f $endpoint) ('certhash={0}' -f $Thumbprint) ${psQuote(`appid=${HOLDING_APP_ID}`)} 'certstorename=MY')`,
    "if ($LASTEXITCODE -ne 0) { throw ('netsh could not {0} the binding {1} (exit code {2}): {3}' -f $verb, $endpoint, $LASTEXITCODE, ((@($output) | Where-Object { $_ }) -join ' ')) }",
  ],
};

/**
 * `Get-PeerHolding -Address <ip> -HostName <h>`: the thumbprint of the certificate a peer presents for its
 * advertising name, over TLS on 443, or $null when it does not answer. Only the certificate is read: nothing is sent.
 */
const GET_PEER_HOLDING: PsFunction = {
  name: 'Get-PeerHolding',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Address, [Parameter(Mandatory = $true)][string]$HostName)',
    '$client = New-Object -TypeName System.Net.Sockets.TcpClient',
    'try {',
    "  if (-not $client.ConnectAsync($Address, 443).Wait(5000)) { throw ('{0}:443 did not answer within 5 s' -f $Address) }",
    // The certificate is what is asked for, not a trust decision: every certificate is accepted for reading.
    '  $accept = [System.Net.Security.RemoteCertificateValidationCallback] { param($sender, $certificate, $chain, $errors) $true }',
    '  $stream = New-Object -TypeName System.Net.Security.SslStream -ArgumentList $client.GetStream(), $false, $accept',
    `  $stream.AuthenticateAsClient((${psQuote(`${HOLDING_PREFIX}{0}`)} -f $HostName))`,
    '  return (New-Object -TypeName System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $stream.RemoteCertificate).Thumbprint',
    '} catch {',
    // Nothing else may reach the output: it is the function's result.
    '  return $null',
    '} finally {',
    '  $client.Dispose()',
    '}',
  ],
};

/** Props of the proxy renewal. */
export interface WapRenewalProps {
  readonly federationServiceName: string;
  readonly primaryComputer: string;
  /** Labs: the proxies trust the self-signed certificates they hold, so that their trust follows a renewal (a new key). */
  readonly trustSelfSigned: boolean;
}

/** The WAP renewal, step by step. */
export function wapRenewalSteps(props: WapRenewalProps): RenewalStep[] {
  const steps: RenewalStep[] = [
    {
      title: `set the proxy's SSL certificate to the newest valid one for ${props.federationServiceName}, and restart the proxy on it`,
      where: 'every proxy, while another proxy answers its probe',
      sources: [MANAGE_SSL, ADFS_FAQ],
      lines: [
        `$certificate = Find-RenewedCertificate -DnsName ${psQuote(props.federationServiceName)}`,
        '$bound = @(Get-WebApplicationProxySslCertificate | ForEach-Object {',
        `  if ($null -eq $_.PSObject.Properties['CertificateHash']) { throw ${psQuote(`Get-WebApplicationProxySslCertificate returned a binding without CertificateHash: its output is not documented (${GET_WAP_SSL_CERTIFICATE}); this renewal cannot tell which certificate the proxy uses`)} }`,
        '  [string]$_.CertificateHash',
        '})',
        '$stale = @($bound | Where-Object { $_ -ne $certificate.Thumbprint } | Select-Object -Unique)',
        pendingRestartMarker('appproxysvc'),
        '$pending = Test-Path -LiteralPath $restartMarker',
        'if ($stale.Count -gt 0 -or $pending) {',
        "  $valid = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $_.NotAfter -gt (Get-Date) } | ForEach-Object { $_.Thumbprint })",
        '  $serving = @($stale | Where-Object { $valid -contains $_ }).Count -eq $stale.Count',
        '  $peer = Find-PeerServing',
        '  if ($null -eq $peer -and $serving) {',
        "    Write-RenewalEvent -Kind 'deferred' -Message ('the proxy waits to move to {0} and restart: no other proxy answers its probe, and this one still serves' -f $certificate.Thumbprint)",
        '  } else {',
        '    New-Item -ItemType Directory -Path (Split-Path -Path $restartMarker -Parent) -Force | Out-Null',
        '    Set-Content -LiteralPath $restartMarker -Value $certificate.Thumbprint',
        '    if ($stale.Count -gt 0) {',
        '      Set-WebApplicationProxySslCertificate -Thumbprint $certificate.Thumbprint',
        "      Write-RenewalEvent -Kind 'changed' -Message ('proxy SSL certificate: {0} replaces {1}' -f $certificate.Thumbprint, ($stale -join ', '))",
        '    }',
        "    Restart-Service -Name 'appproxysvc'",
        '    Remove-Item -LiteralPath $restartMarker',
        "    Write-RenewalEvent -Kind 'changed' -Message ('restarted Web Application Proxy (appproxysvc) on certificate {0}' -f $certificate.Thumbprint)",
        '  }',
        '} else {',
        "  Write-Step ('the proxy already uses {0}, valid until {1:u}: nothing to change' -f $certificate.Thumbprint, $certificate.NotAfter)",
        '}',
      ],
    },
    {
      title: "advertise the newest certificate this proxy holds for each published application's name, and read the other proxies'",
      where: 'every proxy: an HTTP.sys binding of its own, read by the others over TLS on 443',
      sources: [NETSH_HTTP],
      lines: [
        '$applications = @(Get-WebApplicationProxyApplication | ForEach-Object {',
        // Members named after Set-WebApplicationProxyApplication's parameters: the Get page shows no output.
        "  foreach ($member in 'ID', 'Name', 'ExternalUrl', 'ExternalCertificateThumbprint') { if ($null -eq $_.PSObject.Properties[$member]) { throw ('Get-WebApplicationProxyApplication returned an application without {0}: this renewal cannot read it' -f $member) } }",
        '  $_',
        '})',
        "$store = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My')",
        '$newest = @{}',
        '$holders = @{}',
        `$peers = @(Get-Content -LiteralPath (Join-Path -Path (Split-Path -Path $restartMarker -Parent) -ChildPath ${psQuote(PEERS_FILE)}) | Where-Object { $_ })`,
        'foreach ($hostName in @($applications | ForEach-Object { ([uri]$_.ExternalUrl).Host } | Select-Object -Unique)) {',
        "  try { $newest[$hostName] = Find-RenewedCertificate -DnsName $hostName } catch { Write-Step ('{0}: {1}' -f $hostName, $_.Exception.Message); continue }",
        '  Set-HoldingBinding -HostName $hostName -Thumbprint $newest[$hostName].Thumbprint',
        '  $holders[$hostName] = @($peers | Where-Object { (Get-PeerHolding -Address $_ -HostName $hostName) -eq $newest[$hostName].Thumbprint }).Count',
        '}',
      ],
    },
    {
      title: 'move the external certificate of each published application forward, once every proxy holds the newer one',
      where: `every proxy; written through the WID primary ${props.primaryComputer}, else through the AD FS load balancer`,
      sources: [SET_WAP_APPLICATION, ADFS_CONFIGURATION_DATABASE],
      lines: [
        '$moves = @()',
        'foreach ($application in $applications) {',
        '  $hostName = ([uri]$application.ExternalUrl).Host',
        '  $current = @($store | Where-Object { $_.Thumbprint -eq $application.ExternalCertificateThumbprint }) | Select-Object -First 1',
        '  if (-not $newest.ContainsKey($hostName)) {',
        // No valid certificate here: an application of the toolkit's whose certificate expired, or one that is not the toolkit's.
        "    if ($null -ne $current) { Write-RenewalEvent -Kind 'failed' -Message ('{0} ({1}) is published with {2} (valid until {3:u}), and this proxy holds no valid certificate with its private key for {4}: the application fails or is about to; check the certificate in Key Vault and the Key Vault extension' -f $application.Name, $application.ExternalUrl, $current.Thumbprint, $current.NotAfter, $hostName) }",
        "    else { Write-Step ('{0}: published with a certificate this proxy does not hold, and none for {1}: left as it is' -f $application.Name, $hostName) }",
        '    continue',
        '  }',
        '  $candidate = $newest[$hostName]',
        '  if ($candidate.Thumbprint -eq $application.ExternalCertificateThumbprint) { continue }',
        // Only forward: from a certificate this proxy holds and that expires before the candidate.
        "  if ($null -eq $current) { Write-Step ('{0}: published with {1}, which this proxy does not hold (another proxy may have moved it): left as it is' -f $application.Name, $application.ExternalCertificateThumbprint); continue }",
        "  if ($current.NotAfter -ge $candidate.NotAfter) { Write-Step ('{0}: published with {1}, not older than {2}: left as it is' -f $application.Name, $current.Thumbprint, $candidate.Thumbprint); continue }",
        '  if ($holders[$hostName] -lt $peers.Count) {',
        "    $message = ('{0}: waits for {1} of {2} other proxies to hold {3} before the farm moves to it' -f $application.Name, ($peers.Count - $holders[$hostName]), $peers.Count, $candidate.Thumbprint)",
        `    if ($current.NotAfter -lt (Get-Date).AddDays(${EXPIRY_WARNING_DAYS})) { Write-RenewalEvent -Kind 'nearExpiry' -Message ('{0}; it is published with {1}, which expires on {2:u}' -f $message, $current.Thumbprint, $current.NotAfter) } else { Write-Step $message }`,
        '    continue',
        '  }',
        '  $moves += [pscustomobject]@{ Application = $application; Certificate = $candidate }',
        '}',
        'if ($moves.Count -gt 0) {',
        '  $update = { foreach ($change in $moves) { Set-WebApplicationProxyApplication -ID $change.Application.ID -ExternalCertificateThumbprint $change.Certificate.Thumbprint } }',
        // The farm's proxy configuration is written on its primary (as the publishing does). A primary promoted
        // since (Set-AdfsSyncProperties) is not the one this script names: then the load balancer reaches it.
        `  ${HOSTS_FILE}`,
        '  try {',
        ...throughPrimary(props, ['& $update']).map((l) => `    ${l}`),
        '  } catch {',
        `    Write-Step ('through {0}: {1}; again through the AD FS load balancer' -f ${psQuote(props.primaryComputer)}, $_.Exception.Message)`,
        // Whatever failed, no marked entry may still point the name at that server.
        ...REMOVE_MARKED_LINES.map((l) => `    ${l}`),
        '    & $update',
        '  }',
        '  foreach ($change in $moves) {',
        "    Write-RenewalEvent -Kind 'changed' -Message ('{0} ({1}): {2} replaces {3}' -f $change.Application.Name, $change.Application.ExternalUrl, $change.Certificate.Thumbprint, $change.Application.ExternalCertificateThumbprint)",
        '  }',
        '}',
      ],
    },
  ];
  if (props.trustSelfSigned) {
    steps.push({
      title: 'trust the self-signed certificates this proxy holds (labs), so that the trust follows their renewal',
      where: 'every proxy of a lab',
      sources: [
        {
          title: 'Install-WebApplicationProxy: the federation service certificate must be trusted',
          url: 'https://learn.microsoft.com/powershell/module/webapplicationproxy/install-webapplicationproxy',
        },
      ],
      lines: [
        "$root = New-Object -TypeName System.Security.Cryptography.X509Certificates.X509Store -ArgumentList 'Root', 'LocalMachine'",
        "$root.Open('ReadWrite')",
        'try {',
        `  foreach ($held in @(@(Find-TlsCertificate -DnsName ${psQuote(props.federationServiceName)}) + @($newest.Values))) {`,
        '    if ($held.Subject -ne $held.Issuer) { continue }',
        '    if (@($root.Certificates | Where-Object { $_.Thumbprint -eq $held.Thumbprint }).Count -gt 0) { continue }',
        '    $root.Add($held)',
        "    Write-RenewalEvent -Kind 'changed' -Message ('trusted the self-signed certificate {0} ({1})' -f $held.Thumbprint, $held.Subject)",
        '  }',
        '} finally {',
        '  $root.Close()',
        '}',
      ],
    });
  }
  return steps;
}

/** The functions the proxy renewal calls, besides those every renewal has. */
export const WAP_RENEWAL_FUNCTIONS: readonly PsFunction[] = [FIND_PEER_SERVING, SET_HOLDING_BINDING, GET_PEER_HOLDING];
