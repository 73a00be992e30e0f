import {
  ADFS_AZMFA,
  ADFS_GLOBAL_POLICY,
  AZ_BACKUP_ITEM,
  AZ_LB_RULE,
  AZ_LOCK,
  AZ_VM,
  GRAPH_AUDIT,
  GRAPH_FEDERATION_LIST,
  GRAPH_ROLLOUT,
  MIG_FED,
  MIG_UTIL,
  NPS,
  NPS_ERRORS,
  NPS_EVENTS,
  NPS_EXTENSION_DLLS,
  PS_AUDIT,
  STAGED,
  TF_OUTPUT,
} from './sources';
import { loadBalancerOf } from './stack-facts';
import { AZ_WORKSTATION, connectGraph, GRAPH_WORKSTATION, masterOf, RunbookContext, serverList, StepDefinition } from './steps';
import { readFederatedIdpMfaBehavior, readStagedRollout } from './tenant-steps';

/*
 * The checks that say a stage is done before the next one: each reads state (Microsoft Graph, AD FS, NPS, the
 * Azure resources, the Terraform outputs) and says what it must show.
 */

/** The MFA Server adapter names Microsoft documents, one of which this farm registered. */
const MFA_SERVER_ADAPTERS = "'WindowsAzureMultiFactorAuthentication' or 'AzureMfaServerAuthentication'";

const firstAdfs = (ctx: RunbookContext) => {
  const adfs = ctx.facts.servers.find((s) => s.id === 'adfs-1');
  return adfs ? `adfs-1 (${adfs.computerName}), elevated PowerShell` : 'the first AD FS server';
};

/** The checks, by key. */
export const CHECKS: readonly StepDefinition[] = [
  {
    key: 'stage-output',
    title: 'Terraform applied this stage',
    actor: 'deployer',
    role: "read access to the environment's state",
    where: () => 'the workstation that deploys, in the project folder',
    action: (ctx) => ({ kind: 'shell', lines: [`terraform -chdir=cdktf.out/stacks/${ctx.env.name} output -raw migration_stage`] }),
    expect: (ctx) => {
      const stage = ctx.env.migration?.stage ?? 'mfa-server';
      return stage === 'mfa-server' ? 'no output migration_stage ("Output not found"): the stage is mfa-server' : stage;
    },
    sources: [TF_OUTPUT],
  },
  {
    key: 'users-migrated',
    title: "The Migration Utility wrote the users' methods to Microsoft Entra ID",
    actor: 'tenant administrator',
    role: "Reports Reader or Security Administrator (Microsoft Entra; the admin center's audit log: at least Authentication Administrator)",
    where: () => GRAPH_WORKSTATION,
    action: (ctx) => ({
      kind: 'powershell',
      lines: [
        connectGraph(ctx, ['AuditLog.Read.All', 'Directory.Read.All']),
        'Get-MgAuditLogDirectoryAudit -All -Filter "initiatedBy/app/displayName eq \'Azure MFA Management\'" | ForEach-Object { $_.TargetResources[0].UserPrincipalName } | Sort-Object -Unique',
      ],
    }),
    expect: () => 'every member of the migration groups (once per user; devices have entries of their own)',
    notes: () => ['The MFA registration report shows every MFA Server user as registered: it does not show migration progress.'],
    sources: [MIG_UTIL, GRAPH_AUDIT, PS_AUDIT],
  },
  {
    key: 'staged-rollout-read',
    title: 'Staged Rollout for Azure MFA is on for the migration groups',
    actor: 'tenant administrator',
    role: 'Hybrid Identity Administrator (Microsoft Entra)',
    where: () => GRAPH_WORKSTATION,
    action: readStagedRollout,
    expect: () => 'IsEnabled True, and Groups holds the Microsoft Entra id of each group of migration.groupSids',
    sources: [MIG_UTIL, GRAPH_ROLLOUT, STAGED],
  },
  {
    key: 'staged-rollout-read-off',
    title: 'Staged Rollout for Azure MFA is off',
    actor: 'tenant administrator',
    role: 'Hybrid Identity Administrator (Microsoft Entra)',
    where: () => GRAPH_WORKSTATION,
    action: readStagedRollout,
    expect: () => 'IsEnabled False, or no policy',
    sources: [MIG_UTIL, GRAPH_ROLLOUT],
  },
  {
    key: 'federation-read-enforce',
    title: 'Microsoft Entra ID sends MFA to AD FS',
    actor: 'tenant administrator',
    role: 'Hybrid Identity Administrator or Security Reader (Microsoft Entra)',
    where: () => GRAPH_WORKSTATION,
    action: readFederatedIdpMfaBehavior,
    expect: () => 'FederatedIdpMfaBehavior enforceMfaByFederatedIdp for every domain federated with this farm',
    sources: [MIG_FED, GRAPH_FEDERATION_LIST],
  },
  {
    key: 'federation-read-reject',
    title: 'Microsoft Entra ID performs every MFA itself',
    actor: 'tenant administrator',
    role: 'Hybrid Identity Administrator or Security Reader (Microsoft Entra)',
    where: () => GRAPH_WORKSTATION,
    action: readFederatedIdpMfaBehavior,
    expect: () => 'FederatedIdpMfaBehavior rejectMfaByFederatedIdp for every domain federated with this farm (it can take up to 24 hours to act)',
    sources: [MIG_UTIL, GRAPH_FEDERATION_LIST],
  },
  {
    key: 'adfs-groups',
    title: 'AD FS offers Microsoft Entra MFA beside MFA Server and chooses by group',
    actor: 'AD FS administrator',
    role: 'local Administrator of an AD FS server',
    where: firstAdfs,
    action: () => ({
      kind: 'powershell',
      lines: [
        'Get-AdfsAzureMfaConfigured',
        '(Get-AdfsGlobalAuthenticationPolicy).AdditionalAuthenticationProvider',
        'Get-AdfsAdditionalAuthenticationRule',
        "Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Level = 2; StartTime = (Get-Date).AddHours(-1) } -ErrorAction SilentlyContinue",
      ],
    }),
    expect: (ctx) =>
      `True; AzureMfaAuthentication and the MFA Server adapter (${MFA_SERVER_ADAPTERS}); rules issuing AzureMfaAuthentication for ${(ctx.env.migration?.groupSids ?? []).join(', ') || 'the group SIDs'} and the adapter for everyone else; no errors in the last hour`,
    sources: [ADFS_AZMFA, ADFS_GLOBAL_POLICY, MIG_FED],
  },
  {
    key: 'adfs-entra-only',
    title: 'AD FS offers Microsoft Entra MFA alone',
    actor: 'AD FS administrator',
    role: 'local Administrator of an AD FS server',
    where: firstAdfs,
    action: () => ({
      kind: 'powershell',
      lines: [
        '(Get-AdfsGlobalAuthenticationPolicy).AdditionalAuthenticationProvider',
        'Get-AdfsAuthenticationProvider | Select-Object -ExpandProperty Name',
        "Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Level = 2; StartTime = (Get-Date).AddHours(-1) } -ErrorAction SilentlyContinue",
      ],
    }),
    expect: () => `AzureMfaAuthentication only; neither ${MFA_SERVER_ADAPTERS} among the providers; no errors in the last hour`,
    sources: [MIG_FED, ADFS_GLOBAL_POLICY],
  },
  {
    key: 'sign-in-test',
    title: 'A member of a migration group does MFA on Microsoft Entra MFA, anyone else still on MFA Server',
    actor: 'tenant administrator',
    role: 'two test users: one in a migration group, one outside',
    where: (ctx) => `https://${ctx.names.federationService}/adfs/ls/IdpInitiatedSignOn.aspx, or an application federated through AD FS`,
    action: () => ({ kind: 'gui', lines: ['Sign in as each test user from outside the corporate network'] }),
    expect: () => "the group member gets a Microsoft Entra MFA prompt (methods shown at https://aka.ms/mfasetup); the other gets MFA Server's",
    sources: [MIG_UTIL, MIG_FED],
  },
  {
    key: 'nps-servers',
    title: 'The NPS servers run the extension and answer RADIUS',
    actor: 'NPS administrator',
    role: 'local Administrator of each NPS server',
    where: (ctx) => `${serverList(ctx, 'nps')}, elevated PowerShell`,
    action: () => ({
      kind: 'powershell',
      lines: [
        'Get-Service -Name IAS',
        "Get-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\AuthSrv\\Parameters' | Select-Object ExtensionDLLs, AuthorizationDLLs",
        "Get-WinEvent -FilterHashtable @{ LogName = 'Security'; Id = 6272, 6273; StartTime = (Get-Date).AddHours(-1) } -ErrorAction SilentlyContinue | Select-Object TimeCreated, Id, Message",
        'wevtutil qe AuthZOptCh /c:20 /rd:true /f:text',
      ],
    }),
    expect: () =>
      "IAS Running; the MfaNpsAuthnExt.dll and MfaNpsAuthzExt.dll of the extension; 6272 (access granted) for the test sign-ins, 6273 says why one was denied; the extension's log shows each MFA request",
    sources: [NPS, NPS_EXTENSION_DLLS, NPS_EVENTS, NPS_ERRORS],
  },
  {
    key: 'mfaapp-radius-to-nps',
    title: 'The mfaapp RADIUS address sends requests to the NPS servers',
    actor: 'deployer',
    role: 'Reader on the resource group (Azure RBAC)',
    where: () => AZ_WORKSTATION,
    action: (ctx) => ({
      kind: 'shell',
      lines: [
        `az network lb rule list --resource-group ${ctx.facts.resourceGroup} --lb-name ${loadBalancerOf(ctx.facts, 'mfaapp')?.name ?? '<mfaapp load balancer>'} --query "[?protocol=='Udp'].{rule:name, pool:backendAddressPools[0].id}" --output table`,
      ],
    }),
    expect: (ctx) => {
      const rules = ctx.facts.radiusRules.filter((r) => r.lb.endsWith('-mfaapp'));
      return rules.map((r) => `${r.rule} (${r.port}) → …/backendAddressPools/${r.pools.join(', ')}`).join('; ') || 'no RADIUS rule';
    },
    appliesTo: (ctx) => ctx.env.mfa.radius.enabled,
    condition: 'mfa.radius.enabled is true',
    sources: [AZ_LB_RULE],
  },
  {
    key: 'mfa-protection-lifted',
    title: 'The MFA servers have no locks left, and their backups are stopped with the recovery points kept',
    actor: 'deployer',
    role: 'Reader on the resource group (Azure RBAC)',
    where: () => AZ_WORKSTATION,
    action: (ctx) => ({
      kind: 'shell',
      lines: [
        `az lock list --resource-group ${ctx.facts.resourceGroup} --query "[].name" --output tsv`,
        ...(ctx.facts.recoveryVault
          ? [
              `az backup item list --resource-group ${ctx.facts.resourceGroup} --vault-name ${ctx.facts.recoveryVault} --query "[].{server:properties.friendlyName, state:properties.protectionState}" --output table`,
            ]
          : []),
      ],
    }),
    expect: (ctx) => {
      const gone = (ctx.previous?.locks ?? []).filter((l) => !ctx.facts.locks.includes(l));
      const locks = gone.length ? `none of ${gone.join(', ')}` : 'no lock of an MFA server';
      return ctx.facts.recoveryVault ? `${locks}; ProtectionStopped for ${ctx.facts.stoppedBackups.join(', ')}` : locks;
    },
    sources: [AZ_LOCK, AZ_BACKUP_ITEM],
  },
  {
    key: 'mfa-server-unused',
    title: 'No user and no application uses MFA Server any more',
    actor: 'MFA Server administrator',
    role: 'Log Analytics Reader on the workspace (Azure RBAC), or local Administrator of the MFA Server master',
    // Read before the deploy that removes the MFA servers: what the previous stage deployed.
    where: (ctx) =>
      (ctx.previous ?? ctx.facts).mfaServerLogTable ? 'the Log Analytics workspace of the environment' : masterOf(ctx, ctx.previous ?? ctx.facts),
    action: (ctx) => {
      const table = (ctx.previous ?? ctx.facts).mfaServerLogTable;
      return table
        ? {
            kind: 'kusto',
            lines: [`${table} | where TimeGenerated > ago(7d) | project TimeGenerated, Computer, RawData | order by TimeGenerated desc | take 200`],
          }
        : {
            kind: 'powershell',
            lines: [
              'Get-ChildItem -Path "$env:ProgramFiles\\Multi-Factor Authentication Server\\Logs" -Filter \'MultiFactorAuthSvc*.log\' | Sort-Object LastWriteTime | Select-Object -Last 1 | Get-Content -Tail 50',
            ],
          };
    },
    expect: () => 'no authentication request in the last days',
    sources: [MIG_FED],
  },
  {
    key: 'mfa-servers-gone',
    title: 'The MFA and portal servers are gone',
    actor: 'deployer',
    role: 'Reader on the resource group (Azure RBAC)',
    where: () => AZ_WORKSTATION,
    action: (ctx) => ({
      kind: 'shell',
      lines: [`az vm list --resource-group ${ctx.facts.resourceGroup} --query "[?tags.tier=='mfa' || tags.tier=='portal'].name" --output tsv`],
    }),
    expect: () => 'nothing',
    sources: [AZ_VM],
  },
];
