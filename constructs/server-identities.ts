import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { TierName } from './values';

/** Props of the servers' identities. */
export interface ServerIdentitiesProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** Tiers whose servers need an identity (certificates from Key Vault, the Azure Monitor Agent). */
  readonly tiers: readonly TierName[];
}

/**
 * One user-assigned managed identity per tier, shared by the tier's servers: it reads the tier's
 * certificates and sends its logs. User-assigned, so that a rebuilt server keeps its role assignments.
 */
export class ServerIdentities extends Construct {
  readonly byTier: Readonly<Partial<Record<TierName, UserAssignedIdentity>>>;

  constructor(scope: Construct, id: string, props: ServerIdentitiesProps) {
    super(scope, id);
    const byTier: Partial<Record<TierName, UserAssignedIdentity>> = {};
    for (const tier of props.tiers) {
      byTier[tier] = new UserAssignedIdentity(this, tier, {
        name: `id-${props.namePrefix}-${tier}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        tags: props.tags,
      });
    }
    this.byTier = byTier;
  }
}
