import { DomainJoin, ServerDefaults, TierProps } from '../../constructs/windows-server-pool';

/** Server settings for construct tests, with two zones. */
export const defaults: ServerDefaults = {
  namePrefix: 'mfaha-test',
  computerName: (tier, n) => `test-${tier}${n}`,
  resourceGroupName: 'rg-test',
  location: 'westeurope',
  tags: { environment: 'test' },
  zones: ['1', '2'],
  image: { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' },
  osDiskType: 'Premium_LRS',
  adminUsername: 'mfaadmin',
};

/** Tier props for construct tests: a reference, not a literal, as the admin password. */
export function tierProps(count = 2, zones: readonly string[] = defaults.zones): TierProps {
  return {
    defaults: { ...defaults, zones },
    count,
    vmSize: 'Standard_D2s_v5',
    subnetId: '${azurerm_subnet.test.id}',
    adminPassword: '${random_password.test.result}',
  };
}

/** Domain-join settings with a referenced password (JsonADDomainExtension). */
export const domainJoin: DomainJoin = {
  method: 'extension',
  domainName: 'contoso.com',
  username: 'svc-join@contoso.com',
  password: '${data.azurerm_key_vault_secret.join.value}',
};

/** The resources of one type in a synthesized scope. */
export function ofType(synthesized: string, type: string): any[] {
  return Object.values(JSON.parse(synthesized).resource?.[type] ?? {});
}
