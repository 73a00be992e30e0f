import { AZURE_MFA_CLIENT_APP_ID } from '../../constructs/entra-mfa-client';
import {
  ADMIN_CONSENT,
  AZUREAD_SP_CERTIFICATE,
  COMBINED,
  ENTRA_ROLES,
  GRAPH_FEDERATION,
  GRAPH_FEDERATION_UPDATE,
  GRAPH_GROUP,
  GRAPH_ROLLOUT,
  GRAPH_ROLLOUT_APPLIES_TO,
  GRAPH_ROLLOUT_POST,
  MFA_AUTH_PROVIDER,
  MIG_FED,
  MIG_OVERVIEW,
  MIG_UTIL,
  NPS,
  PS_FEDERATION_UPDATE,
  PS_ROLLOUT,
  PS_ROLLOUT_APPLIES_TO,
  ADFS_AZMFA,
  STAGED,
} from './sources';
import { connectGraph, GRAPH_WORKSTATION, psQuote, RunbookContext, StepDefinition } from './steps';

/*
 * What a tenant administrator does in Microsoft Entra ID: methods, groups, consent, the Azure Multi-Factor Auth
 * Client service principal, Staged Rollout (Graph accepts delegated permissions only, so a person signs in), the
 * domain's federatedIdpMfaBehavior, and what users are told. Each command is Microsoft Graph PowerShell with the
 * delegated scopes it needs; each role is the one the cited page names.
 */

/** The Staged Rollout policy of the multiFactorAuthentication feature, read with the header that returns that evolvable enum member. */
const ROLLOUT_POLICY =
  "$policy = Get-MgPolicyFeatureRolloutPolicy -All -ExpandProperty appliesTo -Headers @{ Prefer = 'include-unknown-enum-members' } | Where-Object Feature -eq 'multiFactorAuthentication'";

/** The Entra groups synchronized from the on-premises groups of migration.groupSids. */
const groupSidList = (ctx: RunbookContext) => {
  const sids = ctx.env.migration?.groupSids ?? [];
  return sids.length ? sids.map(psQuote).join(', ') : "'<a SID of migration.groupSids>'";
};

/** The domains federated with this farm: those whose passive sign-in URL is the federation service's. */
const federatedDomainsLoop = (ctx: RunbookContext, body: string[]) => [
  `foreach ($domain in (Get-MgDomain -All | Where-Object AuthenticationType -eq 'Federated')) {`,
  `  $federation = Get-MgDomainFederationConfiguration -DomainId $domain.Id | Where-Object PassiveSignInUri -like ${psQuote(`https://${ctx.names.federationService}/*`)}`,
  ...body.map((l) => `  ${l}`),
  '}',
];

/** Sets federatedIdpMfaBehavior on every domain federated with this farm. */
const setFederatedIdpMfaBehavior = (value: string) => (ctx: RunbookContext) => ({
  kind: 'powershell' as const,
  lines: [
    connectGraph(ctx, ['Domain.Read.All', 'Domain-InternalFederation.ReadWrite.All']),
    ...federatedDomainsLoop(ctx, [
      `if ($federation) { Update-MgDomainFederationConfiguration -DomainId $domain.Id -InternalDomainFederationId $federation.Id -FederatedIdpMfaBehavior ${psQuote(value)} }`,
    ]),
  ],
});

/** The roles Graph accepts for updating a domain's federation (the least of them first). */
const FEDERATION_ROLE =
  'Hybrid Identity Administrator (Microsoft Entra; also Security Administrator, Domain Name Administrator or External Identity Provider Administrator)';

/** Reads federatedIdpMfaBehavior of every domain federated with this farm. */
export const readFederatedIdpMfaBehavior = (ctx: RunbookContext) => ({
  kind: 'powershell' as const,
  lines: [
    connectGraph(ctx, ['Domain.Read.All']),
    ...federatedDomainsLoop(ctx, ["$federation | Select-Object @{ n = 'Domain'; e = { $domain.Id } }, FederatedIdpMfaBehavior"]),
  ],
});

/** Reads back the Staged Rollout policy of MFA and its groups. */
export const readStagedRollout = (ctx: RunbookContext) => ({
  kind: 'powershell' as const,
  lines: [
    connectGraph(ctx, ['Policy.Read.HybridAuthentication']),
    ROLLOUT_POLICY,
    "$policy | Select-Object DisplayName, IsEnabled, @{ n = 'Groups'; e = { @($_.AppliesTo | ForEach-Object Id) } }",
  ],
});

/** The steps of a tenant administrator, by key. */
export const TENANT_STEPS: readonly StepDefinition[] = [
  {
    key: 'enable-methods',
    title: 'Enable in Microsoft Entra ID every MFA method MFA Server users have',
    actor: 'tenant administrator',
    role: 'Authentication Policy Administrator (Microsoft Entra)',
    where: () => 'the Microsoft Entra admin center',
    action: () => ({
      kind: 'gui',
      lines: [
        'Protection > Authentication methods > Policies: enable each method the MFA Server console lists under Company Settings > General (phone call, text message, mobile app, OATH token)',
        'MFA Server "Phone call (PIN)" users: enable voice OTP; "Mobile app (PIN)" users: number matching',
      ],
    }),
    notes: () => ['"Users can\'t try their newly migrated MFA methods unless they\'re enabled" (Migration Utility page).'],
    sources: [MIG_UTIL, ENTRA_ROLES],
  },
  {
    key: 'migration-utility-group',
    title: 'Create the Microsoft Entra group the Migration Utility syncs, apart from the groups that move users',
    actor: 'tenant administrator',
    role: 'Groups Administrator (Microsoft Entra)',
    where: () => GRAPH_WORKSTATION,
    action: (ctx) => ({
      kind: 'powershell',
      lines: [
        connectGraph(ctx, ['Group.ReadWrite.All']),
        `$utility = New-MgGroup -DisplayName ${psQuote(`MFA Server Migration Utility (${ctx.env.name})`)} -MailEnabled:$false -MailNickname ${psQuote(`mfa-migration-${ctx.env.name}`)} -SecurityEnabled`,
        `foreach ($sid in @(${groupSidList(ctx)})) {`,
        `  $synced = Get-MgGroup -Filter "onPremisesSecurityIdentifier eq '$sid'"`,
        '  New-MgGroupMember -GroupId $utility.Id -DirectoryObjectId $synced.Id',
        '}',
      ],
    }),
    notes: () => [
      "Microsoft recommends one set of groups for the utility and another for Staged Rollout, so that nobody is sent to Microsoft Entra MFA before their methods are synced; the utility's one group may hold nested groups.",
    ],
    sources: [MIG_UTIL, GRAPH_GROUP],
  },
  {
    key: 'admin-consent',
    title: 'Grant admin consent to the "MFA Server Migration Utility" application the configuration script created',
    actor: 'tenant administrator',
    role: 'Privileged Role Administrator (Microsoft Entra), for Microsoft Graph application permissions',
    where: () => 'the Microsoft Entra admin center',
    action: () => ({
      kind: 'gui',
      lines: [
        'App registrations > All applications > MFA Server Migration Utility > API permissions > Grant admin consent',
        'or the consent URL the configuration script prints',
      ],
    }),
    inference:
      'The Migration Utility page shows the requested permissions only in a screenshot; the role assumes they include Microsoft Graph application permissions, which only a Privileged Role Administrator may consent to (Application Administrator may consent to the others).',
    sources: [MIG_UTIL, ADMIN_CONSENT],
  },
  {
    key: 'mfa-client-service-principal',
    title: `Make sure the tenant has the "Azure Multi-Factor Auth Client" service principal (${AZURE_MFA_CLIENT_APP_ID}) that this deploy reads`,
    actor: 'tenant administrator',
    role: 'Application Administrator (Microsoft Entra)',
    where: () => GRAPH_WORKSTATION,
    action: (ctx) => ({
      kind: 'powershell',
      lines: [
        connectGraph(ctx, ['Application.ReadWrite.All']),
        `if (-not (Get-MgServicePrincipal -Filter "appId eq '${AZURE_MFA_CLIENT_APP_ID}'")) { New-MgServicePrincipal -AppId '${AZURE_MFA_CLIENT_APP_ID}' -DisplayName 'Azure Multi-Factor Auth Client' }`,
      ],
    }),
    appliesTo: (ctx) => ctx.facts.readsMfaClient,
    condition: 'the deploy reads the service principal (data.azuread_service_principal)',
    sources: [NPS, ADFS_AZMFA],
  },
  {
    key: 'deploy-identity-role',
    title: 'Let the identity that runs cdktf deploy add certificates to that service principal',
    actor: 'tenant administrator',
    role: 'Privileged Role Administrator (Microsoft Entra), to assign the role',
    where: () => GRAPH_WORKSTATION,
    action: (ctx) => ({
      kind: 'powershell',
      lines: [
        connectGraph(ctx, ['RoleManagement.ReadWrite.Directory']),
        '$role = Get-MgRoleManagementDirectoryRoleDefinition -Filter "displayName eq \'Application Administrator\'"',
        "New-MgRoleManagementDirectoryRoleAssignment -PrincipalId '<object id of the deploying user or pipeline identity>' -RoleDefinitionId $role.Id -DirectoryScopeId '/'",
      ],
    }),
    notes: (ctx) => [
      `The deploy registers ${ctx.facts.certificateRegistrations} server certificate(s) on the service principal (azuread_service_principal_certificate): a user needs Application Administrator; a pipeline identity the application permission Application.ReadWrite.OwnedBy (as an owner of the service principal) or Application.ReadWrite.All.`,
      'Make the assignment eligible through Privileged Identity Management rather than standing (README, "Tier 0: who holds what").',
    ],
    appliesTo: (ctx) => ctx.facts.certificateRegistrations > 0,
    condition: 'the deploy registers certificates on the service principal (azuread_service_principal_certificate)',
    sources: [AZUREAD_SP_CERTIFICATE, ENTRA_ROLES],
  },
  {
    key: 'federation-enforce',
    title: 'Set federatedIdpMfaBehavior to enforceMfaByFederatedIdp: Microsoft Entra ID keeps sending MFA to AD FS, which chooses the provider by group',
    actor: 'tenant administrator',
    role: FEDERATION_ROLE,
    where: () => GRAPH_WORKSTATION,
    action: setFederatedIdpMfaBehavior('enforceMfaByFederatedIdp'),
    notes: () => ['Once set, Microsoft Entra ID ignores SupportsMfa; switching back to SupportsMfa is not supported.'],
    sources: [MIG_FED, GRAPH_FEDERATION, GRAPH_FEDERATION_UPDATE, PS_FEDERATION_UPDATE],
  },
  {
    key: 'staged-rollout-on',
    title: 'Turn Staged Rollout for Azure MFA on for the migration groups (Microsoft Entra sign-ins of their members use Microsoft Entra MFA)',
    actor: 'tenant administrator',
    role: 'Hybrid Identity Administrator (Microsoft Entra); Graph accepts delegated permissions only, so a person signs in',
    where: () => GRAPH_WORKSTATION,
    action: (ctx) => ({
      kind: 'powershell',
      lines: [
        connectGraph(ctx, ['Policy.ReadWrite.HybridAuthentication', 'Group.Read.All']),
        ROLLOUT_POLICY,
        `if (-not $policy) { $policy = New-MgPolicyFeatureRolloutPolicy -DisplayName 'MFA rollout policy' -Description ${psQuote(`Users moved off MFA Server (${ctx.env.name})`)} -Feature 'multiFactorAuthentication' -IsEnabled -IsAppliedToOrganization:$false }`,
        `foreach ($sid in @(${groupSidList(ctx)})) {`,
        `  $group = Get-MgGroup -Filter "onPremisesSecurityIdentifier eq '$sid'"`,
        '  if (@($policy.AppliesTo | ForEach-Object Id) -notcontains $group.Id) { New-MgPolicyFeatureRolloutPolicyApplyToByRef -FeatureRolloutPolicyId $policy.Id -OdataId "https://graph.microsoft.com/v1.0/directoryObjects/$($group.Id)" }',
        '}',
      ],
    }),
    notes: () => [
      'At most 10 groups; nested and dynamic groups are not supported; a group first added is limited to 200 users; membership edits take up to 24 hours.',
      'Only users synchronized by Microsoft Entra Connect, and only browser and modern-authentication sign-ins: legacy authentication still goes to AD FS.',
    ],
    sources: [MIG_UTIL, STAGED, GRAPH_ROLLOUT_POST, GRAPH_ROLLOUT_APPLIES_TO, GRAPH_ROLLOUT, PS_ROLLOUT, PS_ROLLOUT_APPLIES_TO, GRAPH_GROUP],
  },
  {
    key: 'staged-rollout-off',
    title: 'Turn Staged Rollout for Azure MFA off: Microsoft Entra ID sends MFA to AD FS again',
    actor: 'tenant administrator',
    role: 'Hybrid Identity Administrator (Microsoft Entra); delegated only',
    where: () => GRAPH_WORKSTATION,
    action: (ctx) => ({
      kind: 'powershell',
      lines: [
        connectGraph(ctx, ['Policy.ReadWrite.HybridAuthentication']),
        ROLLOUT_POLICY,
        'Update-MgPolicyFeatureRolloutPolicy -FeatureRolloutPolicyId $policy.Id -IsEnabled:$false',
      ],
    }),
    sources: [MIG_UTIL, GRAPH_ROLLOUT],
  },
  {
    key: 'federation-reject',
    title: 'Set federatedIdpMfaBehavior to rejectMfaByFederatedIdp: Microsoft Entra ID performs every MFA itself',
    actor: 'tenant administrator',
    role: FEDERATION_ROLE,
    where: () => GRAPH_WORKSTATION,
    action: setFederatedIdpMfaBehavior('rejectMfaByFederatedIdp'),
    notes: () => [
      '"Users will no longer be redirected to your on-premises federation server for MFA, whether they\'re targeted by the Staged Rollout tool or not"; it can take up to 24 hours.',
    ],
    sources: [MIG_UTIL, GRAPH_FEDERATION, PS_FEDERATION_UPDATE],
  },
  {
    key: 'federation-enforce-again',
    title: "Set federatedIdpMfaBehavior back to enforceMfaByFederatedIdp (Microsoft's rollback plan)",
    actor: 'tenant administrator',
    role: FEDERATION_ROLE,
    where: () => GRAPH_WORKSTATION,
    action: setFederatedIdpMfaBehavior('enforceMfaByFederatedIdp'),
    sources: [MIG_UTIL, PS_FEDERATION_UPDATE],
  },
  {
    key: 'educate-users',
    title: 'Tell the users of the migration groups what changes for them',
    actor: 'communications',
    role: 'none (a message; Microsoft provides email and poster templates)',
    where: () => 'mail, intranet',
    action: () => ({
      kind: 'message',
      lines: [
        'Their second factor will come from Microsoft Entra multifactor authentication, with new sign-in screens; their methods were copied from MFA Server.',
        'Register or check methods at https://aka.ms/mysecurityinfo before the switch: AD FS cannot register a method during sign-in.',
        'Two Microsoft Authenticator accounts may show for a while: the one renamed "On-Premises MFA Server" is the old one.',
        'Until RADIUS (VPN) moves, keep using the MFA Server user portal for changes; they sync to Microsoft Entra ID.',
      ],
    }),
    sources: [MIG_UTIL, MIG_OVERVIEW, ADFS_AZMFA, COMBINED],
  },
  {
    key: 'educate-everyone',
    title: 'Tell every user that the MFA Server user portal is gone',
    actor: 'communications',
    role: 'none (a message)',
    where: () => 'mail, intranet',
    action: () => ({
      kind: 'message',
      lines: [
        'Manage methods at https://aka.ms/mysecurityinfo (combined registration); changes there are not synced back to MFA Server.',
        'VPN and other RADIUS sign-ins prompt the default method; with NPS extension 1.2.2216.1 or later and an authenticator code registered, they ask for the code. Change the default at https://aka.ms/mysecurityinfo.',
      ],
    }),
    sources: [MIG_UTIL, MIG_OVERVIEW, COMBINED],
  },
  {
    key: 'delete-auth-provider',
    title: 'Delete the MFA authentication provider, only if the tenant has one',
    actor: 'tenant administrator',
    role: 'not named on the page (an administrator who manages multifactor authentication settings)',
    where: () => 'the Microsoft Entra admin center',
    action: () => ({ kind: 'gui', lines: ['Protection > Multifactor authentication > Providers: select the provider > Delete (there is no confirmation)'] }),
    notes: () => ['Deleting it deletes the reporting information associated with it.'],
    optional: true,
    inference: 'The provider page names no role for deleting it.',
    sources: [MFA_AUTH_PROVIDER],
  },
];
