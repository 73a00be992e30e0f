import { PsFunction, psQuote, renderScript, RenderedScript } from './powershell';

/**
 * `Find-TlsCertificate -DnsName <name>`: the newest valid certificate for the name (NotBefore ≤ now < NotAfter), with its private key, in
 * LocalMachine\My, where the Key Vault VM extension installs it, its names read one by one (a certificate
 * with none must not stop the search under strict mode), a wildcard name covering one label. Scripts find
 * certificates by name, never by thumbprint, so that a renewed certificate is found too.
 */
export const FIND_TLS_CERTIFICATE: PsFunction = {
  name: 'Find-TlsCertificate',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$DnsName)',
    '$now = Get-Date',
    // A name matches itself, or a wildcard one label up (*.contoso.com covers sts.contoso.com, not a.sts.contoso.com).
    // DNS names compare case-insensitively (RFC 4343): -eq ignores case, String.EndsWith does only when told.
    "$covers = { param($Name) $Name -eq $DnsName -or ($Name.StartsWith('*.') -and $DnsName.EndsWith($Name.Substring(1), [StringComparison]::OrdinalIgnoreCase) -and $DnsName.Split('.').Count -eq $Name.Split('.').Count) }",
    // Valid now: already valid (a certificate issued ahead of its start date is not), not yet expired.
    "$found = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $_.HasPrivateKey -and $_.NotBefore -le $now -and $_.NotAfter -gt $now -and @(@($_.DnsNameList | ForEach-Object { [string]$_.Unicode }) | Where-Object { & $covers $_ }).Count -gt 0 } | Sort-Object -Property NotAfter -Descending)",
    'if ($found.Count -eq 0) {',
    "  throw ('no valid certificate for {0} with its private key in LocalMachine\\My: has the Key Vault extension installed it?' -f $DnsName)",
    '}',
    'return $found[0]',
  ],
};

/** The IIS site the MFA Web Service SDK, the user portal and the mobile app web service install into. */
export const IIS_SITE = 'Default Web Site';

/**
 * Binds HTTPS 443 of the default IIS site to the certificate of `dnsName` (MFA servers: the Web Service SDK
 * behind mfaapp; portal servers: the user portal and mobile app web service). Binding only when the
 * thumbprint differs makes a re-run change nothing.
 */
export function bindIisHttpsScript(dnsName: string): RenderedScript {
  return renderScript({
    name: 'bind-https',
    summary: `bind HTTPS 443 of "${IIS_SITE}" to the certificate of ${dnsName}`,
    parameters: [],
    functions: [FIND_TLS_CERTIFICATE],
    steps: [
      {
        title: `find the certificate of ${dnsName}`,
        lines: [
          `$certificate = Find-TlsCertificate -DnsName ${psQuote(dnsName)}`,
          "Write-Step ('certificate {0}, valid until {1:u}' -f $certificate.Thumbprint, $certificate.NotAfter)",
        ],
      },
      {
        title: 'create the HTTPS binding of the site if it is missing',
        lines: [
          'Import-Module -Name WebAdministration',
          `if ($null -eq (Get-WebBinding -Name ${psQuote(IIS_SITE)} -Protocol 'https' -Port 443)) {`,
          `  New-WebBinding -Name ${psQuote(IIS_SITE)} -Protocol 'https' -Port 443 -IPAddress '*'`,
          '}',
        ],
      },
      {
        title: 'attach the certificate to 0.0.0.0:443 unless it already is',
        lines: [
          "$sslBinding = Get-Item -Path 'IIS:\\SslBindings\\0.0.0.0!443' -ErrorAction SilentlyContinue",
          'if ($null -ne $sslBinding -and $sslBinding.Thumbprint -eq $certificate.Thumbprint) {',
          "  Write-Step 'already bound to this certificate: nothing to change'",
          '} else {',
          "  if ($null -ne $sslBinding) { Remove-Item -Path 'IIS:\\SslBindings\\0.0.0.0!443' }",
          `  (Get-WebBinding -Name ${psQuote(IIS_SITE)} -Protocol 'https' -Port 443).AddSslCertificate($certificate.Thumbprint, 'My')`,
          "  Write-Step 'bound'",
          '}',
        ],
      },
    ],
  });
}

/** A self-signed certificate servers must trust: its name and the parameter carrying its public part. */
export interface LabCertificate {
  readonly dnsName: string;
  /** Script parameter with the DER certificate in base64 (public data). */
  readonly parameter: string;
}

/**
 * Adds the public part of each self-signed lab certificate to LocalMachine\Root, so that the proxies trust
 * AD FS and the portal, and the portal and AD FS trust the Web Service SDK (Microsoft's user portal guide:
 * a self-signed SDK certificate goes into the portal server's Trusted Root store). Only for labs.
 */
export function trustLabCertificatesScript(certificates: readonly LabCertificate[]): RenderedScript {
  return renderScript({
    name: 'trust-lab-certificates',
    summary: 'trust the self-signed lab certificates (LocalMachine\\Root)',
    parameters: certificates.map((c) => ({ name: c.parameter, secret: false, description: `public certificate of ${c.dnsName}, DER in base64` })),
    functions: [],
    steps: [
      {
        title: 'add each certificate to LocalMachine\\Root unless it is there',
        lines: [
          "$store = New-Object -TypeName System.Security.Cryptography.X509Certificates.X509Store -ArgumentList 'Root', 'LocalMachine'",
          "$store.Open('ReadWrite')",
          'try {',
          `  foreach ($encoded in @(${certificates.map((c) => `$${c.parameter}`).join(', ')})) {`,
          '    $certificate = New-Object -TypeName System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList (,[Convert]::FromBase64String($encoded))',
          '    if (@($store.Certificates | Where-Object { $_.Thumbprint -eq $certificate.Thumbprint }).Count -gt 0) {',
          "      Write-Step ('{0} is already trusted' -f $certificate.Subject)",
          '    } else {',
          '      $store.Add($certificate)',
          "      Write-Step ('trusted {0}' -f $certificate.Subject)",
          '    }',
          '  }',
          '} finally {',
          '  $store.Close()',
          '}',
        ],
      },
    ],
  });
}
