import { psQuote, renderScript, RenderedScript } from './powershell';
import {
  ADD_NPS_CHANGE,
  AUTHSRV_PARAMETERS_KEY,
  AZURE_MFA_KEY,
  CERTIFICATE_THUMBPRINT,
  GET_MISSING_NPS_EXTENSION_DLL,
  INSTALL_EXTENSION_STEP,
  RESTART_IF_CHANGED,
  RESTART_NPS_DRAINED,
} from './nps';

/*
 * The NPS extension for Microsoft Entra MFA on an NPS server (Run Command `nps-extension`, after `nps-radius` of
 * ./nps.ts): deployed once nps.extensionInstalled says the manual installation is done.
 */

/** What the extension script sets. */
export interface NpsExtensionProps {
  /** TENANT_ID: the Microsoft Entra tenant (migration.tenantId). */
  readonly tenantId: string;
  /** OVERRIDE_NUMBER_MATCHING_WITH_OTP, TRUE or FALSE; undefined leaves the value out, the extension's default. */
  readonly overrideNumberMatchingWithOtp?: boolean;
}

/**
 * The subject of the NPS client certificates: the naming convention of the extension's versions up to 1.2.2677.2
 * ("CN=<TenantID>,OU=Microsoft NPS Extension"), which later versions find by CLIENT_CERT_IDENTIFIER instead ([NPS]).
 */
export const clientCertificateSubject = (tenantId: string) => `CN=${tenantId},OU=Microsoft NPS Extension`;

/** How long the script waits for the Key Vault extension to install a (renewed) certificate: it polls hourly (constructs/server-steps.ts). */
export const CERTIFICATE_WAIT_MINUTES = 75;

/**
 * The NPS extension for Microsoft Entra MFA ("Integrate your existing Network Policy Server (NPS) infrastructure with
 * Microsoft Entra multifactor authentication", https://learn.microsoft.com/entra/identity/authentication/howto-mfa-nps-extension,
 * [NPS]), with its own certificate instead of AzureMfaNpsExtnConfigSetup.ps1's self-signed one:
 *   - the installation is a manual step (Microsoft documents no unattended one): the script first checks that the
 *     extension's DLLs are registered with NPS, and fails with one line naming the step when they are not;
 *   - "If you use your own certificates …, make sure that they include the Client Authentication purpose and that the
 *     private key has READ permission granted to the user NETWORK SERVICE. If you use version 1.2.2893.1 or later, …
 *     Set HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\AzureMfa\CLIENT_CERT_IDENTIFIER to the thumbprint" — the Key Vault
 *     extension installs the certificate with that read access; the script waits for it and names its thumbprint;
 *   - TENANT_ID and, only when configured, OVERRIDE_NUMBER_MATCHING_WITH_OTP ("Use number matching in multifactor
 *     authentication", https://learn.microsoft.com/entra/identity/authentication/how-to-mfa-number-match); a value the
 *     configuration does not set is removed, which is the extension's documented default;
 *   - "Having expired certificates can cause issues with the NPS Extension starting": expired certificates of this
 *     subject are deleted;
 *   - "Restart the NPS service for each NPS server … take each NPS server out of the NLB rotation one at a time".
 */
export function npsExtensionScript(props: NpsExtensionProps): RenderedScript {
  const override = props.overrideNumberMatchingWithOtp;
  const settings = [
    `  TENANT_ID = ${psQuote(props.tenantId)}`,
    `  CLIENT_CERT_IDENTIFIER = $thumbprint`,
    `  OVERRIDE_NUMBER_MATCHING_WITH_OTP = ${override === undefined ? '$null' : psQuote(override ? 'TRUE' : 'FALSE')}`,
  ];
  return renderScript({
    name: 'nps-extension',
    summary: `configure the NPS extension for Microsoft Entra MFA (tenant ${props.tenantId}) with this server's client certificate`,
    parameters: [
      { name: CERTIFICATE_THUMBPRINT, secret: false, description: "thumbprint of this server's client certificate, which the Key Vault extension installs" },
    ],
    functions: [GET_MISSING_NPS_EXTENSION_DLL, ADD_NPS_CHANGE, RESTART_NPS_DRAINED],
    steps: [
      {
        title: `check that the NPS extension is installed (the manual step "${INSTALL_EXTENSION_STEP}")`,
        lines: [
          '$missing = @(Get-MissingNpsExtensionDll)',
          'if ($missing.Count -gt 0) {',
          `  throw ('the NPS extension for Microsoft Entra MFA is not installed here ({0} of ${AUTHSRV_PARAMETERS_KEY.replace('HKLM:', 'HKLM')} missing): do the manual step "${INSTALL_EXTENSION_STEP}" (README) on this server, then deploy again' -f ($missing -join ', '))`,
          '}',
        ],
      },
      {
        title: 'find the client certificate the Key Vault extension installs',
        lines: [
          `$thumbprint = $${CERTIFICATE_THUMBPRINT}.ToUpperInvariant()`,
          `$waits = ${CERTIFICATE_WAIT_MINUTES}`,
          "while ($null -eq ($certificate = Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $_.Thumbprint -eq $thumbprint } | Select-Object -First 1)) {",
          `  if (--$waits -lt 0) { throw ('certificate {0} is not in LocalMachine\\My after ${CERTIFICATE_WAIT_MINUTES} minutes: check the Key Vault extension of this server (key-vault-certificates)' -f $thumbprint) }`,
          '  Start-Sleep -Seconds 60',
          '}',
          "if (-not $certificate.HasPrivateKey) { throw ('certificate {0} has no private key in LocalMachine\\My' -f $thumbprint) }",
          "if ($certificate.NotAfter -le (Get-Date)) { throw ('certificate {0} expired on {1:u}' -f $thumbprint, $certificate.NotAfter) }",
          "Write-Step ('certificate {0}, valid until {1:u}' -f $thumbprint, $certificate.NotAfter)",
        ],
      },
      {
        title: `set the extension's registry values (${AZURE_MFA_KEY.replace('HKLM:', 'HKLM')})`,
        lines: [
          `$key = ${psQuote(AZURE_MFA_KEY)}`,
          'if (-not (Test-Path -Path $key)) { New-Item -Path $key -Force | Out-Null }',
          '$current = Get-ItemProperty -Path $key',
          '$settings = [ordered]@{',
          ...settings,
          '}',
          'foreach ($name in @($settings.Keys)) {',
          '  $value = $settings[$name]',
          '  $has = $null -ne $current -and $null -ne $current.PSObject.Properties[$name]',
          '  if ($null -eq $value) {',
          "    if ($has) { Remove-ItemProperty -Path $key -Name $name; Add-NpsChange -What ('{0} removed: the extension default applies' -f $name) }",
          '  } elseif (-not $has -or [string]$current.$name -cne $value) {',
          '    New-ItemProperty -Path $key -Name $name -PropertyType String -Value $value -Force | Out-Null',
          "    Add-NpsChange -What ('{0} = {1}' -f $name, $value)",
          '  }',
          '}',
        ],
      },
      {
        title: 'delete the expired client certificates of the NPS extension',
        lines: [
          '$now = Get-Date',
          `$subject = ${psQuote(clientCertificateSubject(props.tenantId))}`,
          // The subject's parts in any order and spacing: Windows prints them as the certificate encodes them.
          "$parts = @($subject.Split(',') | ForEach-Object { $_.Trim() })",
          "$expired = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $own = @(([string]$_.Subject) -split ',\\s*'); $_.NotAfter -le $now -and @($parts | Where-Object { $own -notcontains $_ }).Count -eq 0 })",
          'foreach ($old in $expired) {',
          "  Remove-Item -LiteralPath ('Cert:\\LocalMachine\\My\\{0}' -f $old.Thumbprint)",
          "  Add-NpsChange -What ('expired certificate {0} deleted' -f $old.Thumbprint)",
          '}',
        ],
      },
      RESTART_IF_CHANGED,
    ],
  });
}
