import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AdfsFarm, Secrets, ServerDefaults, TimeProvider, WapProxyTier } from 'mfa-ha-cdktf';

/**
 * A team's own stack: its resource group and virtual network, written by the team, with the AD FS farm and the
 * Web Application Proxy servers of the library placed into two of its subnets. Nothing here comes from an
 * environment file: the props are the constructs' own, checked by the compiler.
 */
export class PerimeterStack extends TerraformStack {
  readonly adfs: AdfsFarm;
  readonly wap: WapProxyTier;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}], subscriptionId: '00000000-0000-0000-0000-000000000000' });
    // The library's Secrets construct generates each tier's admin password with random_password, and waits with
    // time_sleep for its Key Vault role assignments to propagate.
    new RandomProvider(this, 'random');
    new TimeProvider(this, 'time');

    // The team's own resources.
    const tags = { owner: 'identity-team' };
    const rg = new ResourceGroup(this, 'rg', { name: 'rg-identity-perimeter', location: 'westeurope', tags });
    const vnet = new VirtualNetwork(this, 'vnet', {
      name: 'vnet-identity',
      resourceGroupName: rg.name,
      location: rg.location,
      addressSpace: ['10.40.0.0/24'],
      dnsServers: ['10.0.0.4', '10.0.0.5'],
      tags,
    });
    const subnet = (name: string, cidr: string) =>
      new Subnet(this, name, { name, resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefixes: [cidr], defaultOutboundAccessEnabled: false });
    const adfsSubnet = subnet('snet-adfs', '10.40.0.0/27');
    const wapSubnet = subnet('snet-wap', '10.40.0.32/27');

    // The library's constructs.
    const common = { resourceGroupName: rg.name, location: rg.location, tags };
    const secrets = new Secrets(this, 'secrets', {
      ...common,
      keyVaultName: 'kv-identity-perim-01',
      allowedIpRanges: ['203.0.113.0/24'],
      tiers: ['adfs', 'wap'],
      domainJoinPassword: {
        keyVaultResourceId:
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identity-shared/providers/Microsoft.KeyVault/vaults/kv-identity-shared',
        secretName: 'domain-join-password',
      },
    });
    const defaults: ServerDefaults = {
      ...common,
      namePrefix: 'identity',
      computerName: (tier, n) => `${tier.toUpperCase()}${n}`,
      zones: ['1', '2'],
      image: { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' },
      osDiskType: 'Premium_LRS',
      adminUsername: 'localadmin',
    };
    this.adfs = new AdfsFarm(this, 'adfs', {
      defaults,
      count: 2,
      vmSize: 'Standard_D2s_v5',
      subnetId: adfsSubnet.id,
      adminPassword: secrets.adminPassword('adfs'),
      frontendIp: '10.40.0.10',
      certificateAuthenticationEnabled: false,
      domainJoin: { method: 'extension', domainName: 'contoso.com', username: 'svc-domainjoin@contoso.com', password: secrets.domainJoinPassword! },
      deletionProtection: true,
    });
    this.wap = new WapProxyTier(this, 'wap', {
      defaults,
      count: 2,
      vmSize: 'Standard_D2s_v5',
      subnetId: wapSubnet.id,
      adminPassword: secrets.adminPassword('wap'),
      certificateAuthenticationEnabled: false,
      publicDnsLabel: 'contoso-sts',
    });
  }
}
