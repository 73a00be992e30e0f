import { psQuote } from './powershell';
import { RenewalSource, RenewalStep } from './renewal';
import { IIS_SITE } from './tls';

/*
 * The certificate IIS serves on the MFA servers (the Web Service SDK) and the portal servers (the user portal and
 * the mobile app web service), watched like AD FS's and WAP's: IIS follows a renewal on its own (the Key Vault
 * extension's linkOnRenewal), so nothing is moved here; the task writes the same events when the newest
 * certificate nears its expiry, or when IIS still serves one that expires soon or has expired.
 */

const KEY_VAULT_EXTENSION: RenewalSource = {
  title: 'Key Vault virtual machine extension for Windows (linkOnRenewal)',
  url: 'https://learn.microsoft.com/azure/virtual-machines/extensions/key-vault-windows',
};

/** The IIS watch, step by step. */
export function iisWatchSteps(props: { readonly dnsName: string; readonly warningDays: number }): RenewalStep[] {
  return [
    {
      title: `find the newest valid certificate for ${props.dnsName}`,
      where: 'every MFA or portal server',
      sources: [KEY_VAULT_EXTENSION],
      lines: [`$certificate = Find-RenewedCertificate -DnsName ${psQuote(props.dnsName)}`],
    },
    {
      title: `check the certificate IIS serves for "${IIS_SITE}" on 0.0.0.0:443`,
      where: 'every MFA or portal server',
      sources: [KEY_VAULT_EXTENSION],
      lines: [
        'Import-Module -Name WebAdministration',
        "$binding = Get-Item -Path 'IIS:\\SslBindings\\0.0.0.0!443' -ErrorAction SilentlyContinue",
        "if ($null -eq $binding) { throw 'IIS has no HTTPS binding on 0.0.0.0:443: run the bind-https Run Command again' }",
        "$served = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $_.Thumbprint -eq $binding.Thumbprint }) | Select-Object -First 1",
        'if ($null -eq $served) {',
        "  Write-RenewalEvent -Kind 'failed' -Message ('IIS serves {0}, which is not in LocalMachine\\My; the newest certificate is {1}: run the bind-https Run Command again' -f $binding.Thumbprint, $certificate.Thumbprint)",
        '} elseif ($served.NotAfter -le (Get-Date)) {',
        "  Write-RenewalEvent -Kind 'failed' -Message ('IIS serves {0}, which expired on {1:u}; the newest certificate is {2}: IIS did not follow the renewal, run the bind-https Run Command again' -f $served.Thumbprint, $served.NotAfter, $certificate.Thumbprint)",
        `} elseif ($served.NotAfter -lt (Get-Date).AddDays(${props.warningDays})) {`,
        "  Write-RenewalEvent -Kind 'nearExpiry' -Message ('IIS serves {0}, which expires on {1:u}; the newest certificate is {2}' -f $served.Thumbprint, $served.NotAfter, $certificate.Thumbprint)",
        '} else {',
        "  Write-Step ('IIS serves {0}, valid until {1:u}: nothing to report' -f $served.Thumbprint, $served.NotAfter)",
        '}',
      ],
    },
  ];
}
