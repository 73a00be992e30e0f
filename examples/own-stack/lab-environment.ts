import { EnvironmentInput } from 'mfa-ha-cdktf';

const SHARED_VAULT =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identity-shared/providers/Microsoft.KeyVault/vaults/kv-identity-shared';

/**
 * A whole environment of the HA design, written in code rather than in a JSON file: the compiler checks the field
 * names and types, `validateEnvironment` the rest (ranges, address plan, names), as `npm run synth` checks a file.
 */
export const lab: EnvironmentInput = {
  name: 'lab',
  purpose: 'lab',
  location: 'westeurope',
  zones: [],
  network: {
    addressSpace: '10.30.0.0/22',
    subnets: { mfa: '10.30.0.0/27', portal: '10.30.0.32/27', adfs: '10.30.0.64/27', wap: '10.30.0.96/27' },
    dnsServers: ['10.0.0.4', '10.0.0.5'],
    managementCidrs: ['10.250.0.0/24'],
    egress: { mode: 'natGateway' },
  },
  domain: {
    name: 'lab.contoso.com',
    joinUsername: 'svc-domainjoin@lab.contoso.com',
    joinPasswordSecret: { keyVaultResourceId: SHARED_VAULT, secretName: 'lab-domain-join-password' },
  },
  keyVault: { name: 'kv-mfaha-lab-01', allowedIpRanges: ['203.0.113.0/24'] },
  osDiskType: 'StandardSSD_LRS',
  mfa: { count: 2, vmSize: 'Standard_B2ms' },
  portal: { count: 2, vmSize: 'Standard_B2ms' },
  adfs: { count: 2, vmSize: 'Standard_B2ms' },
  wap: { count: 2, vmSize: 'Standard_B2ms' },
  dataProtection: { deletionProtectionEnabled: false, backup: { enabled: false } },
  dns: { mfaApp: 'mfaapp.lab.contoso.com', portal: 'mfa.lab.contoso.com', federationService: 'sts.lab.contoso.com' },
};
