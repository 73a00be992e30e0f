import type { EntraMfaScope } from '../migration-stages';
import { INITIALIZE_ENTRA_MFA_FOLDER } from './entra-mfa-certificate';
import { MFA_SERVER_ADAPTERS, MFA_SERVER_ADFS_PAGE, ON_THE_PRIMARY } from './entra-mfa-farm';
import { PsFunction, PsStep, psArray, psQuote, renderScript, RenderedScript } from './powershell';

/*
 * Who does MFA where, on the AD FS farm: the additional authentication providers of the global policy, the
 * additional-authentication rules (global and per relying party) and the MFA Server adapter's registration. One
 * script per stage converges the farm to that stage's row of constructs/migration-stages.ts, from the stage before
 * or the stage after, so that the same script that moves forward also takes a step back:
 *   - nobody (mfa-server, where the file names migration.tenantId): undoes the parallel stage from the backup it took, if any;
 *   - groups (parallel): Entra MFA beside the MFA Server adapter, the migration groups sent to Entra MFA;
 *   - everyone (entra and later): the rules back to the backup, the MFA Server adapter out of the policy and
 *     unregistered.
 * Sources: "Migrate to Microsoft Entra multifactor authentication with federation"
 * (https://learn.microsoft.com/entra/identity/authentication/how-to-migrate-mfa-server-to-mfa-with-federation: back
 * up the rules, move relying parties off access control policies, append the group rules, and on clean-up revert to
 * the backed-up rules), "How to choose additional auth providers in 2019"
 * (https://learn.microsoft.com/windows-server/identity/ad-fs/overview/whats-new-active-directory-federation-services-windows-server),
 * and the cmdlet pages of Set-AdfsGlobalAuthenticationPolicy and Unregister-AdfsAuthenticationProvider.
 */

/** The built-in provider of Microsoft Entra MFA in AD FS. */
export const ENTRA_MFA_PROVIDER = 'AzureMfaAuthentication';

/** The claims the group rules match and issue (the http:// form of the federation page and the cmdlet examples). */
export const GROUP_SID_CLAIM = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groupsid';
export const PROVIDER_CLAIM = 'http://schemas.microsoft.com/claims/authnmethodsproviders';

/** Every rule the toolkit writes is named with this prefix (`@RuleName`), so that it finds its own rules again. */
export const RULE_NAME_PREFIX = 'mfa-ha: ';

/** Stands for the MFA Server adapter's name in the rules, replaced by the name read from the farm. */
const ADAPTER_PLACEHOLDER = '{MFA_SERVER_ADAPTER}';

/** The backup of the farm's rules and providers, on the WID primary, under %ProgramData%. */
export const BACKUP_FILE = 'rules-backup.xml';

/**
 * The rules that send each migration group to Entra MFA and everyone else to the MFA Server adapter, one line
 * each, with the adapter as a placeholder: a rule per group issuing AzureMfaAuthentication, and one issuing the
 * adapter when the user is in none of them ([MIG-FED], "Setting the claims rules to call Microsoft Entra
 * multifactor authentication").
 */
export function groupRuleLines(groupSids: readonly string[]): string[] {
  const sid = (s: string) => `[Type == "${GROUP_SID_CLAIM}", Value == "${s}"]`;
  const issue = (provider: string) => `issue(Type = "${PROVIDER_CLAIM}", Value = "${provider}");`;
  return [
    ...groupSids.map((s) => `@RuleName = "${RULE_NAME_PREFIX}migration group ${s} to ${ENTRA_MFA_PROVIDER}" c:${sid(s)} => ${issue(ENTRA_MFA_PROVIDER)}`),
    `@RuleName = "${RULE_NAME_PREFIX}everyone else to the MFA Server adapter" ${groupSids.map((s) => `not exists(${sid(s)})`).join(' && ')} => ${issue(ADAPTER_PLACEHOLDER)}`,
  ];
}

/** The helpers every mode uses. */
const FUNCTIONS: PsFunction[] = [
  INITIALIZE_ENTRA_MFA_FOLDER,
  {
    name: 'Test-ToolkitRule',
    lines: ['param([AllowNull()][string]$Rules)', `return [regex]::IsMatch([string]$Rules, ${psQuote(`@RuleName\\s*=\\s*"${RULE_NAME_PREFIX}`)})`],
  },
  {
    // Each rule of the toolkit ends at its first semicolon: the SIDs, claim types and provider names it holds have none.
    name: 'Remove-ToolkitRule',
    lines: [
      'param([AllowNull()][string]$Rules)',
      `return ([regex]::Replace([string]$Rules, ${psQuote(`@RuleName\\s*=\\s*"${RULE_NAME_PREFIX}[^"]*"[^;]*;`)}, '')).Trim()`,
    ],
  },
  {
    name: 'Get-ProviderSet',
    lines: ['param([AllowNull()][string[]]$Names)', "return (@($Names | Where-Object { $_ } | Sort-Object -Unique) -join '|')"],
  },
];

/** Reads the backup into `$backup`, or `$null` (`$backupPath` set). */
const READ_BACKUP = [
  `$backupPath = Join-Path -Path (Initialize-EntraMfaFolder) -ChildPath ${psQuote(BACKUP_FILE)}`,
  '$backup = if (Test-Path -LiteralPath $backupPath) { Import-Clixml -LiteralPath $backupPath } else { $null }',
  '$registered = @(Get-AdfsAuthenticationProvider | ForEach-Object { $_.Name })',
  `$adapters = @(@(${psArray(MFA_SERVER_ADAPTERS)}) | Where-Object { $_ -in $registered })`,
];

/** Takes the backup unless there is one: the global rules and providers, every relying party's rules and access control policy. */
const TAKE_BACKUP: PsStep = {
  title: 'keep the backup of the rules, or take it before the first change',
  lines: [
    ...READ_BACKUP,
    'if ($null -ne $backup) {',
    "  Write-Step ('kept: the backup taken at {0}' -f $backup.TakenAt)",
    '} else {',
    '  $parties = @(Get-AdfsRelyingPartyTrust)',
    '  $global = [string](Get-AdfsAdditionalAuthenticationRule)',
    '  if ((Test-ToolkitRule $global) -or @($parties | Where-Object { Test-ToolkitRule $_.AdditionalAuthenticationRules }).Count -gt 0) {',
    "    throw ('the farm carries rules of this toolkit but {0} is missing: restore it from this server''s backup (Azure Backup), then deploy again' -f $backupPath)",
    '  }',
    '  $backup = [pscustomobject]@{',
    "    TakenAt = (Get-Date).ToUniversalTime().ToString('o')",
    '    AdditionalAuthenticationProvider = @((Get-AdfsGlobalAuthenticationPolicy).AdditionalAuthenticationProvider | Where-Object { $_ })',
    '    AdditionalAuthenticationRules = $global',
    '    MfaServerAdapter = @($adapters)',
    '    RelyingParties = @($parties | ForEach-Object { [pscustomobject]@{ Name = $_.Name; AdditionalAuthenticationRules = [string]$_.AdditionalAuthenticationRules; AccessControlPolicyName = [string]$_.AccessControlPolicyName; AccessControlPolicyParameters = $_.AccessControlPolicyParameters } })',
    '  }',
    // Written aside, then moved: a run that stops half way never leaves half a backup.
    "  Export-Clixml -LiteralPath ($backupPath + '.new') -InputObject $backup -Depth 6",
    "  Move-Item -LiteralPath ($backupPath + '.new') -Destination $backupPath -Force",
    "  Write-Step ('taken: {0} relying parties, providers {1}' -f $backup.RelyingParties.Count, ((@($backup.AdditionalAuthenticationProvider)) -join ', '))",
    '}',
  ],
};

/** Sets the global policy's additional providers to `$target` unless they already are. */
const SET_PROVIDERS = [
  '$current = @((Get-AdfsGlobalAuthenticationPolicy).AdditionalAuthenticationProvider | Where-Object { $_ })',
  'if ((Get-ProviderSet $current) -eq (Get-ProviderSet $target)) {',
  "  Write-Step ('already {0}: nothing to change' -f ($current -join ', '))",
  '} else {',
  '  $missing = @($target | Where-Object { $_ -notin $registered })',
  "  if ($missing.Count -gt 0) { throw ('cannot offer {0}: not registered in this farm' -f ($missing -join ', ')) }",
  '  Set-AdfsGlobalAuthenticationPolicy -AdditionalAuthenticationProvider $target',
  "  Write-Step ('{0} (was {1})' -f ($target -join ', '), ($current -join ', '))",
  '}',
];

/**
 * Puts the rules back as the backup has them: the global rules; each relying party the parallel stage moved off
 * its access control policy gets the policy back, the others their rules. A relying party added since keeps its
 * rules without the toolkit's; one given a policy since keeps it.
 */
const RESTORE_RULES: PsStep = {
  title: 'put the additional-authentication rules and access control policies back as the backup has them',
  lines: [
    '$global = [string](Get-AdfsAdditionalAuthenticationRule)',
    'if ($global -cne [string]$backup.AdditionalAuthenticationRules) {',
    '  Set-AdfsAdditionalAuthenticationRule -AdditionalAuthenticationRules ([string]$backup.AdditionalAuthenticationRules)',
    "  Write-Step 'global rules restored'",
    '}',
    'foreach ($party in @(Get-AdfsRelyingPartyTrust)) {',
    '  $saved = @($backup.RelyingParties | Where-Object { $_.Name -eq $party.Name }) | Select-Object -First 1',
    '  if ($party.AccessControlPolicyName) { continue }',
    '  if ($null -ne $saved -and $saved.AccessControlPolicyName) {',
    '    $policy = @{ TargetName = $party.Name; AccessControlPolicyName = $saved.AccessControlPolicyName }',
    "    if ($null -ne $saved.AccessControlPolicyParameters) { $policy['AccessControlPolicyParameters'] = $saved.AccessControlPolicyParameters }",
    '    Set-AdfsRelyingPartyTrust @policy',
    "    Write-Step ('{0}: access control policy {1} restored' -f $party.Name, $saved.AccessControlPolicyName)",
    '    continue',
    '  }',
    '  $wanted = if ($null -ne $saved) { [string]$saved.AdditionalAuthenticationRules } else { Remove-ToolkitRule $party.AdditionalAuthenticationRules }',
    '  if ([string]$party.AdditionalAuthenticationRules -cne $wanted) {',
    '    Set-AdfsRelyingPartyTrust -TargetName $party.Name -AdditionalAuthenticationRules $wanted',
    "    Write-Step ('{0}: rules restored' -f $party.Name)",
    '  }',
    '}',
  ],
};

/** Stage parallel: Entra MFA beside the adapter, the relying parties off access control policies, the group rules. */
function groupSteps(groupSids: readonly string[]): PsStep[] {
  return [
    TAKE_BACKUP,
    {
      title: "read the MFA Server adapter's name as this farm registered it",
      lines: [
        'if ($adapters.Count -eq 0) {',
        '  if (@($backup.MfaServerAdapter).Count -gt 0) {',
        `    throw ('the MFA Server adapter {0} is not registered: stage entra removed it. Register it again as at its installation (Register-MultiFactorAuthenticationAdfsAdapter.ps1 from the MFA Server folder on this server, ${MFA_SERVER_ADFS_PAGE}), then deploy again' -f (@($backup.MfaServerAdapter) -join ', '))`,
        '  }',
        `  throw ${psQuote(`no MFA Server adapter is registered in this farm (neither ${MFA_SERVER_ADAPTERS.join(' nor ')}): register it as at its installation, then deploy again`)}`,
        '}',
        "if ($adapters.Count -gt 1) { throw ('both {0} are registered: unregister the one the global policy does not use, then deploy again' -f ($adapters -join ' and ')) }",
        '$adapter = $adapters[0]',
        `if (${psQuote(ENTRA_MFA_PROVIDER)} -notin $registered) { throw ${psQuote(`${ENTRA_MFA_PROVIDER} is not registered: the farm is not configured for Microsoft Entra MFA (entra-mfa-tenant)`)} }`,
        "Write-Step ('{0}' -f $adapter)",
      ],
    },
    {
      title: `offer ${ENTRA_MFA_PROVIDER} beside the MFA Server adapter as additional providers`,
      lines: [
        '$target = @(@((Get-AdfsGlobalAuthenticationPolicy).AdditionalAuthenticationProvider | Where-Object { $_ }))',
        `foreach ($name in @($adapter, ${psQuote(ENTRA_MFA_PROVIDER)})) { if ($name -notin $target) { $target += $name } }`,
        ...SET_PROVIDERS,
      ],
    },
    {
      // "Access control policies can't be configured so that a specific authentication provider is invoked based on
      // group membership": the policy's logic moves into the relying party's rules ([MIG-FED]). Which policies
      // require MFA is not readable through a documented output, and moving one that requires none changes no behaviour.
      title: 'move relying parties from access control policies to additional-authentication rules',
      lines: [
        'foreach ($party in @(Get-AdfsRelyingPartyTrust | Where-Object { $_.AccessControlPolicyName })) {',
        '  Set-AdfsRelyingPartyTrust -TargetName $party.Name -AccessControlPolicyName $null',
        "  Write-Step ('{0}: access control policy {1} moved into its rules' -f $party.Name, $party.AccessControlPolicyName)",
        '}',
      ],
    },
    {
      title: `send the migration groups to ${ENTRA_MFA_PROVIDER} and everyone else to the MFA Server adapter`,
      lines: [
        `$ours = (@(${groupRuleLines(groupSids).map(psQuote).join(', ')}) -join [Environment]::NewLine).Replace(${psQuote(ADAPTER_PLACEHOLDER)}, $adapter)`,
        '$join = { param($Rules) $base = Remove-ToolkitRule $Rules; if ($base) { $base + [Environment]::NewLine + $ours } else { $ours } }',
        '$global = [string](Get-AdfsAdditionalAuthenticationRule)',
        '$wanted = & $join $global',
        'if ($global -cne $wanted) {',
        '  Set-AdfsAdditionalAuthenticationRule -AdditionalAuthenticationRules $wanted',
        "  Write-Step 'global rules: the group rules appended'",
        '}',
        // A relying party's own rules get them where they require MFA (they are not empty).
        'foreach ($party in @(Get-AdfsRelyingPartyTrust | Where-Object { -not $_.AccessControlPolicyName })) {',
        '  $rules = [string]$party.AdditionalAuthenticationRules',
        '  $wanted = if (Remove-ToolkitRule $rules) { & $join $rules } else { Remove-ToolkitRule $rules }',
        '  if ($rules -cne $wanted) {',
        '    Set-AdfsRelyingPartyTrust -TargetName $party.Name -AdditionalAuthenticationRules $wanted',
        "    Write-Step ('{0}: the group rules appended' -f $party.Name)",
        '  }',
        '}',
      ],
    },
  ];
}

/** Stages entra and later: the rules back from the backup, the adapter out of the policy and unregistered. */
const EVERYONE_STEPS: PsStep[] = [
  TAKE_BACKUP,
  RESTORE_RULES,
  {
    title: `offer ${ENTRA_MFA_PROVIDER} alone, without the MFA Server adapter`,
    lines: [
      `$target = @(@((Get-AdfsGlobalAuthenticationPolicy).AdditionalAuthenticationProvider | Where-Object { $_ -and $_ -notin @(${psArray(MFA_SERVER_ADAPTERS)}) }))`,
      `if (${psQuote(ENTRA_MFA_PROVIDER)} -notin $target) { $target += ${psQuote(ENTRA_MFA_PROVIDER)} }`,
      ...SET_PROVIDERS,
    ],
  },
  {
    title: 'unregister the MFA Server adapter',
    lines: [
      'foreach ($adapter in $adapters) {',
      '  Unregister-AdfsAuthenticationProvider -Name $adapter',
      "  Write-Step ('{0} unregistered: every server restarts AD FS next, one at a time' -f $adapter)",
      '}',
      "if ($adapters.Count -eq 0) { Write-Step 'not registered: nothing to change' }",
    ],
  },
];

/** Stage mfa-server after parallel: the backup's rules and providers, then the backup is kept aside. */
const UNDO_STEPS: PsStep[] = [
  {
    title: 'read the backup the parallel stage took',
    lines: [
      ...READ_BACKUP,
      'if ($null -eq $backup) {',
      '  $marked = (Test-ToolkitRule ([string](Get-AdfsAdditionalAuthenticationRule))) -or @(Get-AdfsRelyingPartyTrust | Where-Object { Test-ToolkitRule $_.AdditionalAuthenticationRules }).Count -gt 0',
      "  if ($marked) { throw ('the farm carries rules of this toolkit but {0} is missing: restore it from this server''s backup (Azure Backup), then deploy again' -f $backupPath) }",
      "  Write-Step 'no backup and no rules of this toolkit: nothing to undo'",
      '  exit 0',
      '}',
      "Write-Step ('the backup taken at {0}' -f $backup.TakenAt)",
    ],
  },
  RESTORE_RULES,
  {
    title: 'offer the additional providers the backup has',
    lines: ['$target = @($backup.AdditionalAuthenticationProvider | Where-Object { $_ })', ...SET_PROVIDERS],
  },
  {
    // A later move forward takes a fresh backup of the farm as it is then; this one stays beside it.
    title: 'keep the backup aside',
    lines: [
      "$aside = $backupPath -replace '\\.xml$', ('-restored-{0}.xml' -f (Get-Date).ToUniversalTime().ToString('yyyyMMddTHHmmssZ'))",
      'Move-Item -LiteralPath $backupPath -Destination $aside',
      "Write-Step ('kept as {0}' -f $aside)",
    ],
  },
];

/** Props of the policy script. */
export interface EntraMfaPolicyProps {
  /** Whom AD FS sends to Entra MFA: the stage's `entraMfaFor`. */
  readonly entraMfaFor: EntraMfaScope;
  /** The migration groups (on-premises AD group SIDs): at stage parallel, their members go to Entra MFA. */
  readonly groupSids: readonly string[];
}

/** The policy script of a stage, run on the WID primary. */
export function entraMfaPolicyScript(props: EntraMfaPolicyProps): RenderedScript {
  if (props.entraMfaFor === 'groups' && props.groupSids.length === 0) throw new Error('entraMfaPolicyScript: stage parallel needs at least one group SID');
  const modes: Record<EntraMfaScope, { summary: string; steps: PsStep[] }> = {
    nobody: { summary: 'undo the parallel stage on the AD FS farm from the backup it took, if any', steps: UNDO_STEPS },
    groups: {
      summary: `send the migration groups (${props.groupSids.join(', ')}) to Microsoft Entra MFA and everyone else to MFA Server`,
      steps: groupSteps(props.groupSids),
    },
    everyone: { summary: 'send everyone to Microsoft Entra MFA: the rules back from the backup, the MFA Server adapter removed', steps: EVERYONE_STEPS },
  };
  const mode = modes[props.entraMfaFor];
  return renderScript({ name: 'entra-mfa-policy', summary: mode.summary, parameters: [], functions: FUNCTIONS, steps: [ON_THE_PRIMARY, ...mode.steps] });
}
