import { NETSH_HTTP, READ_SSL_BINDING, WRITE_SSL_BINDING } from './http-sys';
import { PsFunction, psQuote } from './powershell';
import { ADFS_FAQ, FIND_PEER_SERVING, MANAGE_SSL, pendingRestartMarker, RenewalStep } from './renewal';

/*
 * The renewal on an AD FS server: each node moves its own HTTP.sys bindings (the AD FS FAQ's netsh commands,
 * node by node), keeping every other setting of each binding (./http-sys.ts), and restarts AD FS, only while
 * another AD FS server answers its probe. The restart and its check sit inside the rollback: when any of them
 * fails, the bindings go back as they were and AD FS restarts on them. A pending-restart marker makes the next
 * run restart AD FS when a restart did not happen.
 */

/** The AD FS service account, as the private key's access list names it. */
export type RenewalServiceAccount = { readonly gmsa: string } | { readonly username: string };

const GET_ADFS_SSL_CERTIFICATE: RenewalStep['sources'][number] = {
  title: 'Get-AdfsSslCertificate',
  url: 'https://learn.microsoft.com/powershell/module/adfs/get-adfssslcertificate',
};

/**
 * Grants read access to the private key: found by its container name (certutil), in the machine key folders
 * of CNG or CryptoAPI, granted with icacls. Idempotent: a second grant changes nothing.
 */
export function grantKeyRead(accounts: readonly string[]): string[] {
  return [
    "$certutil = @(certutil.exe -store 'My' $certificate.Thumbprint)",
    "if ($LASTEXITCODE -ne 0) { throw ('certutil could not read {0} in LocalMachine\\My (exit code {1})' -f $certificate.Thumbprint, $LASTEXITCODE) }",
    "$container = @($certutil | ForEach-Object { if ([string]$_ -match '^\\s*Unique container name:\\s*(\\S.*)$') { $Matches[1].Trim() } }) | Select-Object -First 1",
    "if (-not $container) { throw ('certutil found no private key container for {0}' -f $certificate.Thumbprint) }",
    "$keyFile = @('Microsoft\\Crypto\\Keys', 'Microsoft\\Crypto\\RSA\\MachineKeys') | ForEach-Object { Join-Path -Path $env:ProgramData -ChildPath (Join-Path -Path $_ -ChildPath $container) } | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1",
    "if (-not $keyFile) { throw ('the private key file {0} is in neither machine key folder' -f $container) }",
    `foreach ($account in ${`@(${accounts.map(psQuote).join(', ')})`}) {`,
    "  icacls.exe $keyFile /grant ('{0}:R' -f $account) | Out-Null",
    "  if ($LASTEXITCODE -ne 0) { throw ('icacls could not grant {0} read access to the private key (exit code {1})' -f $account, $LASTEXITCODE) }",
    '}',
  ];
}

/** The AD FS bindings as Get-AdfsSslCertificate lists them (HostName, PortNumber, CertificateHash: the page's example). */
const LIST_BINDINGS = [
  '$bindings = @(Get-AdfsSslCertificate | ForEach-Object {',
  "  foreach ($member in 'HostName', 'PortNumber', 'CertificateHash') { if ($null -eq $_.PSObject.Properties[$member]) { throw ('Get-AdfsSslCertificate returned a binding without {0} (the members its page shows): this renewal cannot read it' -f $member) } }",
  "  [pscustomobject]@{ Endpoint = ('{0}:{1}' -f $_.HostName, $_.PortNumber); CertificateHash = [string]$_.CertificateHash }",
  '})',
];

/** The AD FS renewal, step by step: the same list renders the script and the README's flow. */
export function adfsRenewalSteps(props: { readonly federationServiceName: string; readonly serviceAccount: RenewalServiceAccount }): RenewalStep[] {
  const account = 'gmsa' in props.serviceAccount ? props.serviceAccount.gmsa : props.serviceAccount.username;
  return [
    {
      title: `find the newest valid certificate for ${props.federationServiceName}`,
      where: 'every server',
      sources: [MANAGE_SSL],
      lines: [`$certificate = Find-RenewedCertificate -DnsName ${psQuote(props.federationServiceName)}`],
    },
    {
      title: 'compare it with the certificates AD FS binds, and look for a restart still to do',
      where: 'every server',
      sources: [GET_ADFS_SSL_CERTIFICATE],
      lines: [
        ...LIST_BINDINGS,
        "if ($bindings.Count -eq 0) { throw 'Get-AdfsSslCertificate lists no AD FS binding' }",
        '$stale = @($bindings | Where-Object { $_.CertificateHash -ne $certificate.Thumbprint })',
        pendingRestartMarker('adfssrv'),
        '$pending = Test-Path -LiteralPath $restartMarker',
        'if ($stale.Count -eq 0 -and -not $pending) {',
        "  Write-Step ('AD FS already uses {0}, valid until {1:u}: nothing to change' -f $certificate.Thumbprint, $certificate.NotAfter)",
        '  exit 0',
        '}',
        "if ($pending) { Write-Step 'an earlier run left AD FS to restart' }",
      ],
    },
    {
      title: 'make sure another AD FS server serves before this one restarts',
      where: 'every server',
      sources: [{ title: 'AD FS FAQ: why AD FS servers are load balanced', url: ADFS_FAQ.url }],
      lines: [
        // A server whose own certificate is no longer valid serves no one: it goes ahead.
        "$valid = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $_.NotAfter -gt (Get-Date) } | ForEach-Object { $_.Thumbprint })",
        '$serving = @($stale | Where-Object { $valid -contains $_.CertificateHash }).Count -eq $stale.Count',
        '$peer = Find-PeerServing',
        'if ($null -eq $peer -and $serving) {',
        "  Write-RenewalEvent -Kind 'deferred' -Message ('AD FS waits to restart on {0}: no other AD FS server answers its probe, and this one still serves' -f $certificate.Thumbprint)",
        '  exit 0',
        '}',
        "if ($null -ne $peer) { Write-Step ('{0} serves meanwhile' -f $peer) }",
      ],
    },
    {
      title: `give ${account} and the AD FS service read access to the new private key`,
      where: 'every server',
      sources: [MANAGE_SSL],
      // NT SERVICE\adfssrv is the principal Set-AdfsSslCertificate grants; the service account reads the key too.
      lines: [
        'if ($stale.Count -gt 0) {',
        ...grantKeyRead([account, 'NT SERVICE\\adfssrv']).map((l) => `  ${l}`),
        "  Write-RenewalEvent -Kind 'changed' -Message ('granted read access to the private key of {0}' -f $certificate.Thumbprint)",
        '}',
      ],
    },
    {
      title: 'bind the new certificate to every AD FS endpoint of this server, keeping every setting of each binding, and restart AD FS',
      where: 'every server',
      sources: [ADFS_FAQ, NETSH_HTTP],
      lines: [
        // Every binding is read before anything changes: one that cannot be written back as it is stops the step here.
        '$saved = @(foreach ($binding in $stale) { [pscustomobject]@{ Endpoint = $binding.Endpoint; Settings = (Read-SslBinding -HostnamePort $binding.Endpoint) } })',
        'New-Item -ItemType Directory -Path (Split-Path -Path $restartMarker -Parent) -Force | Out-Null',
        'Set-Content -LiteralPath $restartMarker -Value $certificate.Thumbprint',
        '$done = @()',
        'try {',
        '  foreach ($binding in $saved) {',
        '    Write-SslBinding -HostnamePort $binding.Endpoint -Binding $binding.Settings -Thumbprint $certificate.Thumbprint',
        '    $done += $binding',
        "    Write-RenewalEvent -Kind 'changed' -Message ('{0}: {1} replaces {2}, every other setting kept' -f $binding.Endpoint, $certificate.Thumbprint, $binding.Settings['Certificate Hash'])",
        '  }',
        "  Restart-Service -Name 'adfssrv'",
        ...LIST_BINDINGS.map((l) => `  ${l}`),
        '  $left = @($bindings | Where-Object { $_.CertificateHash -ne $certificate.Thumbprint })',
        "  if ($left.Count -gt 0) { throw ('{0} AD FS binding(s) still use another certificate after the restart' -f $left.Count) }",
        "  Write-RenewalEvent -Kind 'changed' -Message ('restarted AD FS (adfssrv) on certificate {0}' -f $certificate.Thumbprint)",
        '} catch {',
        '  $cause = $_',
        '  $restarted = $false',
        '  try {',
        // Back to each binding as it was, its certificate included: still valid, since the new one was found only among valid ones.
        "    foreach ($binding in $done) { Write-SslBinding -HostnamePort $binding.Endpoint -Binding $binding.Settings -Thumbprint $binding.Settings['Certificate Hash'] }",
        "    if ($done.Count -gt 0) { Restart-Service -Name 'adfssrv'; $restarted = $true }",
        '  } catch {',
        "    throw ('{0}; putting the bindings back failed too: {1} (AD FS is left to restart: the next run tries again)' -f $cause.Exception.Message, $_.Exception.Message)",
        '  }',
        // The marker stays while a restart is owed: nothing restarted here, and an earlier run left one to do.
        '  if ($restarted -or -not $pending) { Remove-Item -LiteralPath $restartMarker -ErrorAction SilentlyContinue }',
        "  throw ('{0} (rolled back: {1} binding(s) put back with their settings and certificate{2})' -f $cause.Exception.Message, $done.Count, $(if ($restarted) { ', AD FS restarted on them' } else { '' }))",
        '}',
        'Remove-Item -LiteralPath $restartMarker',
      ],
    },
  ];
}

/** The functions the AD FS renewal calls, besides those every renewal has. */
export const ADFS_RENEWAL_FUNCTIONS: readonly PsFunction[] = [READ_SSL_BINDING, WRITE_SSL_BINDING, FIND_PEER_SERVING];
