import { ADFS_PROBE_FUNCTION } from './adfs';
import { INITIALIZE_ENTRA_MFA_FOLDER } from './entra-mfa-certificate';
import { PsStep, psArray, psQuote, renderScript, RenderedScript } from './powershell';

/*
 * The farm-wide half of AD FS with Microsoft Entra MFA: the tenant, set once per farm on the WID primary, and the
 * restart of AD FS that it (and the removal of the MFA Server adapter) takes on every server, one server at a time.
 * "Configure the AD FS servers", https://learn.microsoft.com/windows-server/identity/ad-fs/operations/configure-ad-fs-and-azure-mfa:
 * Set-AdfsAzureMfaTenant "needs to be executed only once for an AD FS farm"; "You need to restart the AD FS
 * service on each server in your farm before these changes take effect. For minimal impact, take each AD FS server
 * out of the NLB rotation one at a time and wait for all connections to drain."
 */

/**
 * The names MFA Server's AD FS adapter registers under: "either 'WindowsAzureMultiFactorAuthentication' or
 * 'AzureMfaServerAuthentication' depending on the version previously installed"
 * (https://learn.microsoft.com/entra/identity/authentication/howto-mfaserver-deploy-upgrade). The scripts read which
 * one this farm registered; they never assume it.
 */
export const MFA_SERVER_ADAPTERS = ['WindowsAzureMultiFactorAuthentication', 'AzureMfaServerAuthentication'] as const;

/** Where MFA Server documents the adapter's registration, which an administrator repeats on the way back from entra. */
export const MFA_SERVER_ADFS_PAGE = 'https://learn.microsoft.com/entra/identity/authentication/howto-mfaserver-adfs-windows-server';

/** The farm behaviour level that chooses the additional provider by group: AD FS 2019 and later. */
export const GROUP_SELECTION_FARM_BEHAVIOR = 4;

/** The farm behaviour level pages, for the refusal. */
export const FARM_BEHAVIOR_PAGE = 'https://learn.microsoft.com/windows-server/identity/ad-fs/deployment/upgrading-to-ad-fs-in-windows-server';

/** The first step of the farm-wide scripts: they write the farm's configuration, which only the WID primary accepts. */
export const ON_THE_PRIMARY: PsStep = {
  title: 'check that this server is the primary of the WID farm',
  lines: [
    '$role = (Get-AdfsSyncProperties).Role',
    // "The Role of the AD FS Configuration Database": the secondaries' copies are read-only.
    "if ($role -ne 'PrimaryComputer') { throw ('this server is the farm''s {0}: the farm configuration is written on the primary' -f $role) }",
  ],
};

/** Props of the tenant script. */
export interface EntraMfaTenantProps {
  readonly tenantId: string;
  readonly clientId: string;
  /** Check the farm behaviour level that choosing the provider by group needs (stage parallel). */
  readonly groupSelection: boolean;
  /**
   * Check that the MFA Server adapter is registered (stage parallel): on the way back from entra an administrator
   * registers it again, and it must be there before the restarts that load it, which this script precedes.
   */
  readonly mfaServerAdapter: boolean;
}

/**
 * Configures the farm for Microsoft Entra MFA in the tenant, once: Set-AdfsAzureMfaTenant -TenantId -ClientId,
 * unless Get-AdfsAzureMfaConfigured says it is and the provider's configuration data (which "contains the tenant
 * ID for which the AD FS farm is configured for Azure MFA, as well as the well-known client ID",
 * https://learn.microsoft.com/powershell/module/adfs/export-adfsauthenticationproviderconfigurationdata) names this
 * tenant and client. With group selection, it first refuses a farm below behaviour level 4 rather than raising
 * it: raising creates a new configuration database ("Upgrading the FBL creates a new AD FS configuration database"),
 * needs AD schema 88 and a backup of the farm first, and cannot be undone by a step back.
 */
export function entraMfaTenantScript(props: EntraMfaTenantProps): RenderedScript {
  const tenant = psQuote(props.tenantId);
  const client = psQuote(props.clientId);
  const behaviour: PsStep[] = props.groupSelection
    ? [
        {
          title: `check the farm behaviour level: choosing the provider by group needs ${GROUP_SELECTION_FARM_BEHAVIOR} (AD FS 2019)`,
          lines: [
            '$level = [int](Get-AdfsFarmInformation).CurrentFarmBehavior',
            `if ($level -lt ${GROUP_SELECTION_FARM_BEHAVIOR}) {`,
            `  throw ('the farm behaviour level is {0}: AD FS chooses the additional provider by group from level ${GROUP_SELECTION_FARM_BEHAVIOR} (AD FS 2019) on, and below it prompts every user to pick one. Raise it as Microsoft documents (Test-AdfsFarmBehaviorLevelRaise, then Invoke-AdfsFarmBehaviorLevelRaise on the primary, after a backup of the farm; ${FARM_BEHAVIOR_PAGE}), then deploy again' -f $level)`,
            '}',
            "Write-Step ('farm behaviour level {0}' -f $level)",
          ],
        },
      ]
    : [];
  const adapter: PsStep[] = props.mfaServerAdapter
    ? [
        {
          title: 'check that the MFA Server adapter is registered',
          lines: [
            '$registered = @(Get-AdfsAuthenticationProvider | ForEach-Object { $_.Name })',
            `$adapters = @(@(${psArray(MFA_SERVER_ADAPTERS)}) | Where-Object { $_ -in $registered })`,
            'if ($adapters.Count -eq 0) {',
            `  throw ${psQuote(`no MFA Server adapter is registered (neither ${MFA_SERVER_ADAPTERS.join(' nor ')}): on the way back from stage entra, register it again as at its installation (Register-MultiFactorAuthenticationAdfsAdapter.ps1 from the MFA Server folder, ${MFA_SERVER_ADFS_PAGE}), then deploy again`)}`,
            '}',
            "Write-Step ('{0}' -f ($adapters -join ', '))",
          ],
        },
      ]
    : [];
  return renderScript({
    name: 'entra-mfa-tenant',
    summary: `configure the AD FS farm for Microsoft Entra MFA in tenant ${props.tenantId} (once per farm, on the WID primary)`,
    parameters: [],
    functions: [INITIALIZE_ENTRA_MFA_FOLDER],
    steps: [
      ON_THE_PRIMARY,
      ...behaviour,
      ...adapter,
      {
        title: `configure the farm for tenant ${props.tenantId} and client ${props.clientId}, unless it is`,
        lines: [
          '$current = $false',
          'if (Get-AdfsAzureMfaConfigured) {',
          "  $file = Join-Path -Path (Initialize-EntraMfaFolder) -ChildPath 'azure-mfa-configuration.txt'",
          "  Export-AdfsAuthenticationProviderConfigurationData -Name 'AzureMfaAuthentication' -FilePath $file",
          '  $data = Get-Content -LiteralPath $file -Raw',
          '  Remove-Item -LiteralPath $file',
          `  $current = $data.Contains(${tenant}) -and $data.Contains(${client})`,
          '}',
          'if ($current) {',
          "  Write-Step 'already configured for this tenant and client: nothing to change'",
          '} else {',
          `  Set-AdfsAzureMfaTenant -TenantId ${tenant} -ClientId ${client}`,
          "  if (-not (Get-AdfsAzureMfaConfigured)) { throw 'Set-AdfsAzureMfaTenant ran, but Get-AdfsAzureMfaConfigured still says the farm is not configured for Microsoft Entra MFA' }",
          "  Write-Step 'configured: every server restarts AD FS next, one at a time'",
          '}',
        ],
      },
    ],
  });
}

/** Props of the restart script. */
export interface EntraMfaRestartProps {
  /**
   * What AD FS must run with (the tenant, the client, whether the MFA Server adapter is registered): a step that
   * changes it changes this script, so Run Command runs it again. The script adds the providers the farm has
   * registered, and restarts AD FS once for each value.
   */
  readonly configuration: string;
  /** The generation of the tenant certificates: a new one runs the script again, to restart only where a certificate had expired. */
  readonly certificateGeneration: number;
  /** FQDN of this server. */
  readonly computer: string;
  /** FQDNs of the other AD FS servers, which must answer their probe before this one restarts. */
  readonly peers: readonly string[];
}

/** How long a server waits for its peers, and for itself after its restart. */
const PEER_WAIT_MINUTES = 15;
const OWN_WAIT_MINUTES = 10;

/**
 * Restarts AD FS on this server when it has not yet run with `configuration`, or when the certificate script
 * replaced an expired tenant certificate here: never while another server of the farm does not answer its probe
 * (so never two servers together: each Run Command also waits for the previous server's), and only returns once
 * AD FS answers its probe here again.
 */
export function entraMfaRestartScript(props: EntraMfaRestartProps): RenderedScript {
  const waitFor = (what: string, computers: string, minutes: number) => [
    `$deadline = (Get-Date).AddMinutes(${minutes})`,
    `foreach ($computer in ${computers}) {`,
    '  while (-not (Test-AdfsProbe -Computer $computer)) {',
    `    if ((Get-Date) -gt $deadline) { throw ('{0} did not answer on /adfs/probe within ${minutes} minutes: ${what}' -f $computer) }`,
    '    Start-Sleep -Seconds 15',
    '  }',
    '}',
  ];
  return renderScript({
    name: 'entra-mfa-restart',
    summary: `restart AD FS on this server once for ${props.configuration} (certificate generation ${props.certificateGeneration}), while every other server answers`,
    parameters: [],
    functions: [INITIALIZE_ENTRA_MFA_FOLDER, ADFS_PROBE_FUNCTION],
    steps: [
      {
        title: 'find out whether AD FS must restart here',
        lines: [
          '$folder = Initialize-EntraMfaFolder',
          "$donePath = Join-Path -Path $folder -ChildPath 'restarted-for.txt'",
          "$pendingPath = Join-Path -Path $folder -ChildPath 'restart-pending'",
          // What AD FS loads when it starts, as the farm holds it now: the stage's tenant, and the providers registered
          // (an adapter an administrator registered again since the last deploy counts too).
          `$configuration = '{0}; providers {1}' -f ${psQuote(props.configuration)}, ((@(Get-AdfsAuthenticationProvider | ForEach-Object { $_.Name }) | Sort-Object) -join ', ')`,
          '$done = if (Test-Path -LiteralPath $donePath) { (Get-Content -LiteralPath $donePath -Raw).Trim() } else { $null }',
          '$pending = Test-Path -LiteralPath $pendingPath',
          'if ($done -ceq $configuration -and -not $pending) {',
          "  Write-Step 'AD FS already runs with this configuration here: nothing to change'",
          '  exit 0',
          '}',
          "Write-Step $(if ($pending) { (Get-Content -LiteralPath $pendingPath -Raw).Trim() } else { 'the farm configuration changed since AD FS last started here' })",
        ],
      },
      {
        title: 'wait until every other AD FS server answers its probe',
        lines: waitFor('not restarting a second server while one is down', `@(${props.peers.map(psQuote).join(', ')})`, PEER_WAIT_MINUTES),
      },
      { title: 'restart AD FS (adfssrv)', lines: ["Restart-Service -Name 'adfssrv' -Force"] },
      {
        title: 'wait until AD FS answers its probe here again',
        lines: waitFor('AD FS did not come back after its restart', `@(${psQuote(props.computer)})`, OWN_WAIT_MINUTES),
      },
      {
        title: 'note the configuration AD FS runs with here',
        lines: ['Set-Content -LiteralPath $donePath -Value $configuration', 'if ($pending) { Remove-Item -LiteralPath $pendingPath }'],
      },
    ],
  });
}
