import { AD_GROUP, AZ_NIC_POOL, MFAS_ADFS, MIG_FED, MIG_OVERVIEW, MIG_UTIL } from './sources';
import { AZ_WORKSTATION, masterOf, psQuote, radiusClientsOf, serverList, StepDefinition } from './steps';

/*
 * What administrators do on the MFA servers and around them: the MFA Server console and Migration Utility on the
 * master, its data file, the on-premises groups, the recovery points. Server names come from the synthesized stack.
 * The NPS servers and the RADIUS clients: ./radius-steps.ts.
 */

/** MFA Server's data file on the master. */
const PFDATA = '$env:ProgramFiles\\Multi-Factor Authentication Server\\Data\\PhoneFactor.pfdata';

/** Copies PhoneFactor.pfdata off the master to a share, stamped with the time. */
const backupPfdata = () => ({
  kind: 'powershell' as const,
  lines: [`Copy-Item -LiteralPath "${PFDATA}" -Destination "\\\\<backup share>\\PhoneFactor-$(Get-Date -Format 'yyyyMMdd-HHmm').pfdata"`],
});

/** The steps of administrators on and around the MFA servers, by key. */
export const SERVER_STEPS: readonly StepDefinition[] = [
  {
    key: 'inventory',
    title: 'List what depends on MFA Server: methods, user portal settings, RADIUS and LDAP clients',
    actor: 'MFA Server administrator',
    role: 'local Administrator of the MFA Server master (the MFA Server console)',
    where: (ctx) => masterOf(ctx),
    action: () => ({
      kind: 'gui',
      lines: [
        'MFA Server console > Company Settings: the methods users have (General tab)',
        'MFA Server console > User Portal: the settings users rely on',
        'MFA Server console > RADIUS Authentication and LDAP Authentication: every client',
      ],
    }),
    notes: (ctx) => [
      `The RADIUS clients this file knows (mfa.radius.clientCidrs): ${radiusClientsOf(ctx)}. Every client the console lists must reach the NPS servers later (nps.radiusClients); LDAP clients need a plan of their own (Microsoft Entra Domain Services, or RADIUS).`,
    ],
    sources: [MIG_UTIL],
  },
  {
    key: 'backup-pfdata',
    title: 'Back up PhoneFactor.pfdata and keep the installer of the version now installed',
    actor: 'MFA Server administrator',
    role: 'local Administrator of the MFA Server master',
    where: (ctx) => masterOf(ctx),
    action: backupPfdata,
    notes: () => ['Changes made after the backup are not in it: a rollback of the update loses them.'],
    inference: "Microsoft names the file and asks for a backup; the copy to a share is the toolkit's choice of method.",
    sources: [MIG_UTIL],
  },
  {
    key: 'install-update',
    title: 'Install the MFA Server update that carries the Migration Utility on the master, out of load balancing',
    actor: 'MFA Server administrator',
    role: 'local Administrator of the master; Network Contributor on the resource group (the drain)',
    where: (ctx) => `${masterOf(ctx)}, and ${AZ_WORKSTATION} for the drain`,
    action: (ctx) => {
      const master = ctx.facts.servers.find((s) => s.tier === 'mfa' && s.role === 'master');
      const pool = (verb: string) =>
        (master?.pools ?? []).map(
          (p) =>
            `az network nic ip-config address-pool ${verb} --resource-group ${ctx.facts.resourceGroup} --nic-name ${master!.nicName} --ip-config-name ${master!.ipConfigName} --lb-name ${p.lb} --address-pool ${p.pool}`,
        );
      return {
        kind: 'shell',
        lines: [
          '# take the master out of the mfaapp load balancer',
          ...pool('remove'),
          '# on the master: run the MFA Server installer of the new build (in place, no uninstall; accept the Visual C++ 2015 Redistributable prompt)',
          '# put it back (the next cdktf deploy would too)',
          ...pool('add'),
        ],
      };
    },
    notes: () => [
      'Subordinates may log "Unhandled SB" entries once the master is upgraded: Microsoft says they are expected. The user portal, Web Service SDK and AD FS adapter need no update.',
    ],
    inference:
      "Microsoft asks to remove the server from load balancing; taking its NIC out of the backend pools with the Azure CLI is the toolkit's way of doing it.",
    sources: [MIG_UTIL, AZ_NIC_POOL],
  },
  {
    key: 'configure-utility',
    title: 'Configure the MFA Server Migration Utility (it creates its application in Microsoft Entra ID)',
    actor: 'MFA Server administrator',
    role: 'local Administrator of the master; the script signs in as an Application Administrator (Microsoft Entra)',
    where: (ctx) => `${masterOf(ctx)}, elevated PowerShell`,
    action: () => ({
      kind: 'powershell',
      lines: ['Set-Location -LiteralPath "$env:ProgramFiles\\Multi-Factor Authentication Server"', '.\\Configure-MultiFactorAuthMigrationUtility.ps1'],
    }),
    notes: () => ["The master reaches https://graph.microsoft.com and https://login.microsoftonline.com on 443 (the MFA tier's egress)."],
    sources: [MIG_UTIL],
  },
  {
    key: 'ad-groups',
    title: 'Create the on-premises AD groups AD FS moves to Microsoft Entra MFA, and put their SIDs in migration.groupSids',
    actor: 'AD administrator',
    role: 'create groups in the chosen OU (AD: Account Operators, or rights delegated on that OU)',
    where: () => 'a domain-joined workstation with the ActiveDirectory module',
    action: (ctx) => ({
      kind: 'powershell',
      lines: [
        `New-ADGroup -Name ${psQuote(`MFA-Migration-${ctx.env.name}-1`)} -GroupScope Global -GroupCategory Security -Path '<OU of the groups>'`,
        `(Get-ADGroup ${psQuote(`MFA-Migration-${ctx.env.name}-1`)}).SID.Value`,
        `# into ${ctx.file}: "migration": { "groupSids": ["<that SID>"], "tenantId": "<the Microsoft Entra tenant id>" }`,
      ],
    }),
    notes: () => [
      'AD FS claim rules match on-premises security groups. Microsoft Entra Connect synchronizes them, so the same groups can be the Staged Rollout groups: members directly, not through nested groups; at most 10 groups.',
      'Add users wave by wave, only once the Migration Utility has synced them (the audit check).',
      'The file may name the groups and the tenant while it stays at stage mfa-server; npm run migration then writes them into the commands that follow.',
    ],
    inference: "The migration pages ask for an on-premises group and read its SID with Get-ADGroup; creating it with New-ADGroup is the toolkit's suggestion.",
    sources: [MIG_FED, AD_GROUP],
  },
  {
    key: 'migrate-users',
    title: "Migrate the users' methods with the Migration Utility, then keep them synchronized",
    actor: 'MFA Server administrator',
    role: 'local Administrator of the master (the utility writes with its own application)',
    where: (ctx) => masterOf(ctx),
    action: (ctx) => ({
      kind: 'gui',
      lines: [
        'Open MultiFactorAuthMigrationUtilityUI in the MFA Server folder',
        `Enter the group: MFA Server Migration Utility (${ctx.env.name}), press Tab`,
        'Migrate Users > All users in Microsoft Entra group > OK',
        'Settings > Automatic synchronization: the same group',
      ],
    }),
    notes: () => ['Migrating copies methods one way; it changes neither MFA Server nor where users do MFA.'],
    sources: [MIG_UTIL],
  },
  {
    key: 'rename-mobile-app-account',
    title: "Rename MFA Server's Microsoft Authenticator account, so users tell the two accounts apart",
    actor: 'MFA Server administrator',
    role: 'local Administrator of the master (the MFA Server console)',
    where: (ctx) => masterOf(ctx),
    action: () => ({ kind: 'gui', lines: ['MFA Server console > Mobile App > Account name: On-Premises MFA Server'] }),
    notes: () => ['"The account name on Microsoft Authenticator will change with the next push."'],
    sources: [MIG_OVERVIEW],
  },
  {
    key: 'sync-all-users',
    title: 'Migrate every remaining user: automatic synchronization of all users',
    actor: 'MFA Server administrator',
    role: 'local Administrator of the master',
    where: (ctx) => masterOf(ctx),
    action: () => ({ kind: 'gui', lines: ['MultiFactorAuthMigrationUtilityUI > Settings > Automatic synchronization: All users'] }),
    sources: [MIG_UTIL],
  },
  {
    key: 'portal-login-off',
    title: 'Stop users signing in to the MFA Server user portal',
    actor: 'MFA Server administrator',
    role: 'local Administrator of the master (the MFA Server console)',
    where: (ctx) => masterOf(ctx),
    action: () => ({ kind: 'gui', lines: ['MFA Server console > User Portal > Settings: clear "Allow users to log in"'] }),
    optional: true,
    notes: () => ['The proxies no longer publish the portal from this stage; this closes it inside too.'],
    sources: [MIG_UTIL],
  },
  {
    key: 'final-pfdata-backup',
    title: 'Take the last copy of PhoneFactor.pfdata before the MFA servers lose their backups and locks',
    actor: 'MFA Server administrator',
    role: 'local Administrator of the MFA Server master',
    where: (ctx) => masterOf(ctx),
    action: backupPfdata,
    notes: () => ['The vault keeps the recovery points taken so far; this copy is the one a new MFA Server deployment would restore.'],
    inference: "Microsoft advises backing up data before cleaning up MFA Server; the copy to a share is the toolkit's choice of method.",
    sources: [MIG_FED, MIG_UTIL],
  },
  {
    key: 'adapter-register-again',
    title: 'Register the MFA Server adapter in AD FS again, as at its installation',
    actor: 'AD FS administrator',
    role: 'local Administrator of the AD FS servers',
    where: (ctx) => `the WID primary, one of ${serverList(ctx, 'adfs')}`,
    action: () => ({
      kind: 'powershell',
      lines: ['Set-Location -LiteralPath "$env:ProgramFiles\\Multi-Factor Authentication Server"', '.\\Register-MultiFactorAuthenticationAdfsAdapter.ps1'],
    }),
    notes: () => [
      'Once for the farm: the registration is written to the farm configuration. MultiFactorAuthenticationAdfsAdapter.config keeps the WebServiceSdkUrl it had (service_urls.web_service_sdk).',
      "The deploy cannot do it: registration needs the adapter's assembly type name, which no documented cmdlet reads back from the farm. Until it is done, entra-mfa-tenant refuses before any restart, naming this step.",
    ],
    sources: [MFAS_ADFS],
  },
  {
    key: 'portal-login-on',
    title: 'Let users sign in to the MFA Server user portal again, if it was closed',
    actor: 'MFA Server administrator',
    role: 'local Administrator of the master (the MFA Server console)',
    where: (ctx) => masterOf(ctx),
    action: () => ({ kind: 'gui', lines: ['MFA Server console > User Portal > Settings: check "Allow users to log in"'] }),
    optional: true,
    sources: [MIG_UTIL],
  },
  {
    key: 'restore-mfa-server',
    title: 'Install MFA Server on the new servers and restore PhoneFactor.pfdata from the last copy',
    actor: 'MFA Server administrator',
    role: 'local Administrator of the MFA servers; activation credentials from the Azure portal',
    where: (ctx) => serverList(ctx, 'mfa'),
    action: () => ({
      kind: 'gui',
      lines: [
        'README, "Post-deployment steps that cannot be automated": install and activate MFA Server, the Web Service SDK, the user portal',
        'Stop the MFA Server service on the master, replace PhoneFactor.pfdata with the last copy (final-pfdata-backup), start it',
      ],
    }),
    notes: () => ['Changes made after the copy are lost; methods users changed in Microsoft Entra ID are not in it.'],
    inference: "Microsoft's rollback plan replaces PhoneFactor.pfdata after an update; restoring it onto new servers is the toolkit's extension of it.",
    sources: [MIG_UTIL],
  },
  {
    key: 'recovery-points',
    title: "Delete the MFA servers' recovery points once no way back is wanted",
    actor: 'deployer',
    role: 'Backup Contributor on the Recovery Services vault (Azure RBAC)',
    where: (ctx) => `the Azure portal, vault ${ctx.previous?.recoveryVault ?? ctx.facts.recoveryVault ?? '(none)'}`,
    action: () => ({
      kind: 'gui',
      lines: ['Recovery Services vault > Backup items > Azure Virtual Machine > each MFA server > Stop backup > Delete backup data'],
    }),
    optional: true,
    appliesTo: (ctx) => (ctx.previous?.recoveryVault ?? ctx.facts.recoveryVault) !== undefined,
    condition: 'the MFA servers were backed up (dataProtection.backup)',
    inference: "The portal path is Azure Backup's usual one; the migration pages only say to follow normal server deprecation.",
    sources: [MIG_UTIL],
  },
];
