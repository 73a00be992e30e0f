import { BastionHost } from '@cdktf/provider-azurerm/lib/bastion-host';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Construct } from 'constructs';

/** Props of the Azure Bastion host. */
export interface BastionAccessProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** AzureBastionSubnet. */
  readonly subnetId: string;
  readonly zones: readonly string[];
}

/** Azure Bastion: RDP to the servers without exposing RDP to the Internet. */
export class BastionAccess extends Construct {
  readonly host: BastionHost;

  constructor(scope: Construct, id: string, props: BastionAccessProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    const ip = new PublicIp(this, 'public-ip', {
      ...common,
      name: `pip-${props.namePrefix}-bastion`,
      sku: 'Standard',
      allocationMethod: 'Static',
      zones: props.zones.length > 0 ? [...props.zones] : undefined,
    });
    this.host = new BastionHost(this, 'Resource', {
      ...common,
      name: `bas-${props.namePrefix}`,
      sku: 'Standard',
      ipConfiguration: { name: 'primary', subnetId: props.subnetId, publicIpAddressId: ip.id },
    });
  }
}
