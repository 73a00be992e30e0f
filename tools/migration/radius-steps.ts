import { AZ_KEYVAULT_SECRET, NPS } from './sources';
import { loadBalancerOf } from './stack-facts';
import { AZ_WORKSTATION, radiusClientsOf, RunbookContext, serverList, StepDefinition } from './steps';

/*
 * The NPS servers and the RADIUS clients, which live outside Azure: the shared secrets in Key Vault, the NPS
 * extension's installer (Microsoft documents no silent switch), and moving each client to the NPS servers and,
 * going back, away from them. Addresses come from the synthesized stack.
 */

/** The NPS servers' own RADIUS address, from the synthesized stack. */
const npsAddress = (ctx: RunbookContext) => loadBalancerOf(ctx.facts, 'nps')?.privateIp ?? '<output nps_frontend_ip>';

/** The steps of the NPS servers and the RADIUS clients, by key. */
export const RADIUS_STEPS: readonly StepDefinition[] = [
  {
    key: 'radius-secrets',
    title: 'Put the shared secret of each NPS RADIUS client in Key Vault, as the file names it',
    actor: 'deployer',
    role: 'Key Vault Secrets Officer on each vault (Azure RBAC)',
    where: () => AZ_WORKSTATION,
    action: (ctx) => ({
      kind: 'shell',
      lines: (ctx.env.nps?.radiusClients ?? []).map((c) => {
        const vault = c.sharedSecret.keyVaultResourceId.split('/').pop();
        return `az keyvault secret set --vault-name ${vault} --name ${c.sharedSecret.secretName} --file ./${c.sharedSecret.secretName}.txt --encoding utf-8   # ${c.name} (${c.address}); then delete the file`;
      }),
    }),
    notes: () => ['The same secret the RADIUS client has; from a file, so that it stays out of the shell history.'],
    appliesTo: (ctx) => (ctx.env.nps?.radiusClients.length ?? 0) > 0,
    condition: 'the file has nps.radiusClients',
    sources: [AZ_KEYVAULT_SECRET],
  },
  {
    key: 'nps-extension-install',
    title: 'Install the NPS extension for Microsoft Entra MFA on every NPS server, then set nps.extensionInstalled',
    actor: 'NPS administrator',
    role: 'local Administrator of each NPS server',
    where: (ctx) => serverList(ctx, 'nps'),
    action: (ctx) => ({
      kind: 'powershell',
      lines: [
        '# on each NPS server: download https://aka.ms/npsmfa and run the installer (interactive: Microsoft documents no silent switch)',
        '.\\NpsExtnForAzureMfaInstaller.exe',
        `# then, in ${ctx.file}: "nps": { "extensionInstalled": true }, and cdktf deploy again`,
      ],
    }),
    notes: () => [
      'Do not run AzureMfaNpsExtnConfigSetup.ps1: once nps.extensionInstalled is true, the deploy gives each server its own certificate, registers it on the service principal and sets CLIENT_CERT_IDENTIFIER (the documented own-certificate route).',
    ],
    appliesTo: (ctx) => ctx.env.nps !== undefined && !ctx.env.nps.extensionInstalled,
    condition: 'nps.extensionInstalled is false',
    sources: [NPS],
  },
  {
    key: 'radius-test',
    title: "Point one test RADIUS client at the NPS servers' own address and sign in through it",
    actor: 'RADIUS client owner',
    role: 'administrator of the RADIUS client (VPN server, RD Gateway); nothing in Microsoft Entra',
    where: () => 'the RADIUS client',
    action: (ctx) => ({
      kind: 'gui',
      lines: [
        `RADIUS server: ${npsAddress(ctx)}, UDP ${ctx.env.nps?.authenticationPort ?? 1812} (authentication) and ${ctx.env.nps?.accountingPort ?? 1813} (accounting), the shared secret of nps.radiusClients`,
        'Timeout: at least 60 seconds (Microsoft suggests 90 to 120 against discards)',
      ],
    }),
    appliesTo: (ctx) => ctx.env.nps !== undefined,
    condition: 'the file has an nps block',
    sources: [NPS],
  },
  {
    key: 'radius-timeouts',
    title: 'Give every RADIUS client a timeout of at least 60 seconds: the mfaapp address now reaches the NPS servers',
    actor: 'RADIUS client owner',
    role: 'administrator of each RADIUS client',
    where: (ctx) => `each RADIUS client (${radiusClientsOf(ctx)})`,
    action: () => ({ kind: 'gui', lines: ['RADIUS server timeout: at least 60 seconds (90 to 120 against discards); RD Gateway: from 3 to 30-60 seconds'] }),
    appliesTo: (ctx) => ctx.env.mfa.radius.enabled,
    condition: 'mfa.radius.enabled is true',
    sources: [NPS],
  },
  {
    key: 'radius-repoint',
    title: "Point every RADIUS client at the NPS servers' own address, then turn RADIUS off on the mfaapp address",
    actor: 'RADIUS client owner',
    role: 'administrator of each RADIUS client; the deployer edits the file',
    where: (ctx) => `each RADIUS client (${radiusClientsOf(ctx)}), then ${ctx.file}`,
    action: (ctx) => ({
      kind: 'gui',
      lines: [
        `RADIUS server: ${npsAddress(ctx)} (output nps_frontend_ip), UDP ${ctx.env.nps?.authenticationPort ?? 1812}/${ctx.env.nps?.accountingPort ?? 1813}, timeout at least 60 seconds`,
        `then in ${ctx.file}: "mfa": { "radius": { "enabled": false } }, and cdktf deploy (still at this stage)`,
      ],
    }),
    notes: () => ['Decommissioning removes the mfaapp address: the config refuses it while mfa.radius is on.'],
    appliesTo: (ctx) => ctx.env.mfa.radius.enabled,
    condition: 'mfa.radius.enabled is true',
    sources: [NPS],
  },
  {
    key: 'radius-back-to-mfaapp',
    title: 'Point the RADIUS clients that use the NPS address back at the mfaapp address',
    actor: 'RADIUS client owner',
    role: 'administrator of each RADIUS client',
    where: () => 'each RADIUS client moved to the NPS address',
    action: (ctx) => ({
      kind: 'gui',
      lines: [
        `RADIUS server: ${loadBalancerOf(ctx.facts, 'mfaapp')?.privateIp ?? '<output mfaapp_frontend_ip>'} (${ctx.names.mfaApp}), UDP ${ctx.env.mfa.radius.authenticationPort}/${ctx.env.mfa.radius.accountingPort}`,
      ],
    }),
    notes: () => ['Going back removes the NPS servers and their address.'],
    appliesTo: (ctx) => ctx.env.nps !== undefined && ctx.env.mfa.radius.enabled,
    condition: 'the file has an nps block and mfa.radius.enabled is true',
    sources: [NPS],
  },
];
