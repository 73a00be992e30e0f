import { PsFunction, psQuote, ScriptParameter } from './powershell';

/*
 * Secrets a server needs at run time, read by the server itself: its user-assigned managed identity asks the
 * instance metadata service for a Key Vault token, then Key Vault's REST API for the secret. The value never
 * travels through Terraform, a Run Command parameter, a command line or the script's output; the identity holds
 * Key Vault Secrets User on each secret it reads, and nothing more (constructs/nps-tier.ts).
 *   - Token: GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…&client_id=…
 *     with the header Metadata: true ("How to use managed identities for Azure resources on an Azure VM to acquire an
 *     access token", https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token;
 *     a VM with several user-assigned identities names the one it means by client_id).
 *   - Secret: GET https://<vault>.vault.azure.net/secrets/<name>?api-version=7.4, the latest version's `value`
 *     ("Get Secret", https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret).
 */

/** The Key Vault REST API version the scripts call. */
export const KEY_VAULT_API_VERSION = '7.4';

/**
 * How long a read keeps trying while Key Vault refuses (403) or does not answer: a role assignment "can take
 * several minutes" to apply (https://learn.microsoft.com/azure/key-vault/general/rbac-guide), and the role on a
 * new secret is created in the same apply as the script that reads it.
 */
export const SECRET_READ_MINUTES = 10;
/** Seconds between two attempts. */
export const SECRET_READ_RETRY_SECONDS = 20;
/** Attempts before a read gives up: SECRET_READ_MINUTES of waits. */
export const SECRET_READ_ATTEMPTS = (SECRET_READ_MINUTES * 60) / SECRET_READ_RETRY_SECONDS + 1;

/**
 * `Read-KeyVaultSecret -VaultName <name> -SecretName <name> -ClientId <identity client id>`: the secret's value,
 * as a string, for the caller to keep in a variable. Retries a refusal (401, 403: the role is still propagating),
 * throttling (429), a server error or no answer, for SECRET_READ_MINUTES; a missing secret (404) fails at once.
 * Its errors name the vault, the secret, the identity and the status, never the token nor the value.
 */
export const READ_KEY_VAULT_SECRET: PsFunction = {
  name: 'Read-KeyVaultSecret',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$VaultName, [Parameter(Mandatory = $true)][string]$SecretName, [Parameter(Mandatory = $true)][string]$ClientId)',
    // Key Vault accepts TLS 1.2 and later; Windows PowerShell 5.1 on an older .NET offers less unless told.
    '[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12',
    "$tokenUri = 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource={0}&client_id={1}' -f [uri]::EscapeDataString('https://vault.azure.net'), [uri]::EscapeDataString($ClientId)",
    `$secretUri = 'https://{0}.vault.azure.net/secrets/{1}?api-version=${KEY_VAULT_API_VERSION}' -f $VaultName, [uri]::EscapeDataString($SecretName)`,
    // Attempts, not a clock: SECRET_READ_MINUTES of waits between them.
    `$attemptsLeft = ${SECRET_READ_ATTEMPTS}`,
    'while ($true) {',
    '  $attemptsLeft--',
    "  $asking = 'the instance metadata service for a token of identity ' + $ClientId",
    '  try {',
    "    $token = (Invoke-RestMethod -Method Get -Uri $tokenUri -Headers @{ Metadata = 'true' } -TimeoutSec 30).access_token",
    "    $asking = 'vault {0} for secret {1} (identity {2})' -f $VaultName, $SecretName, $ClientId",
    "    $secret = Invoke-RestMethod -Method Get -Uri $secretUri -Headers @{ Authorization = ('Bearer {0}' -f $token) } -TimeoutSec 30",
    '    return [string]$secret.value',
    '  } catch {',
    // Windows PowerShell's WebException and PowerShell 7's HttpResponseException both carry the response, when there is one.
    "    $response = if ($null -ne $_.Exception.PSObject.Properties['Response']) { $_.Exception.Response } else { $null }",
    '    $status = if ($null -ne $response) { [int]$response.StatusCode } else { 0 }',
    '    $failure = $_.Exception.Message',
    '  }',
    "  if ($status -eq 404) { throw ('asking {0}: no such secret (404)' -f $asking) }",
    '  $transient = $status -in @(0, 401, 403, 408, 429, 500, 502, 503, 504)',
    '  if (-not $transient -or $attemptsLeft -le 0) {',
    "    $hint = if ($status -eq 403) { ': the identity needs Key Vault Secrets User on the secret, and the vault firewall must let this subnet in' } else { '' }",
    "    throw ('asking {0}: {1}{2}{3}' -f $asking, $(if ($status -ne 0) { 'status ' + $status + ', ' } else { '' }), $failure, $hint)",
    '  }',
    `  Start-Sleep -Seconds ${SECRET_READ_RETRY_SECONDS}`,
    '}',
  ],
};

/** The parameter of a script that reads secrets at run time: the client id of its server's managed identity. */
export const IDENTITY_CLIENT_ID = 'IdentityClientId';

/** A script's identity parameter (not a secret: a client id names the identity, it grants nothing). */
export const identityParameter = (whose: string): ScriptParameter => ({
  name: IDENTITY_CLIENT_ID,
  secret: false,
  description: `client id of ${whose} managed identity, which reads the passwords from Key Vault at run time`,
});

/** A Key Vault secret a script reads at run time: names only, never its value. */
export interface RuntimeSecret {
  readonly vaultName: string;
  readonly secretName: string;
}

/**
 * A PSCredential built inside the script from a user name and a password read at that moment from Key Vault with the
 * server's identity (READ_KEY_VAULT_SECRET): the password is on no command line, in no parameter, in no output. The
 * reading expression is an argument of ConvertTo-SecureString, so it is wrapped in parentheses (about_Parsing).
 */
export function credentialFromVault(variable: string, username: string, secret: RuntimeSecret): string {
  const password = `Read-KeyVaultSecret -VaultName ${psQuote(secret.vaultName)} -SecretName ${psQuote(secret.secretName)} -ClientId $${IDENTITY_CLIENT_ID}`;
  return `$${variable} = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList ${psQuote(username)}, (ConvertTo-SecureString -String (${password}) -AsPlainText -Force)`;
}
