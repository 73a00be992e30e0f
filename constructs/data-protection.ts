import { BackupPolicyVm } from '@cdktf/provider-azurerm/lib/backup-policy-vm';
import { BackupProtectedVm } from '@cdktf/provider-azurerm/lib/backup-protected-vm';
import { RecoveryServicesVault } from '@cdktf/provider-azurerm/lib/recovery-services-vault';
import { Construct } from 'constructs';
import { ForgottenResource } from './forgotten-resource';
import { Server } from './windows-server-pool';

/** Props of the backup of the servers that hold data. */
export interface DataProtectionProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** Days a daily recovery point is kept. */
  readonly retentionDays: number;
  /** Daily backup time, UTC, `HH:MM`. */
  readonly time: string;
  /** The servers to back up: MFA servers (PhoneFactor.pfdata) and AD FS servers (farm configuration). */
  readonly servers: readonly Server[];
  /**
   * Servers whose protection is stopped and whose recovery points are kept (`ProtectionStopped`): the MFA servers at
   * migration stage retiring, about to be removed.
   */
  readonly stoppedServers?: readonly Server[];
  /**
   * Ids of removed servers whose backup items leave Terraform without being deleted (a `removed` block, destroy =
   * false): their recovery points stay in the vault (migration stage decommissioned).
   */
  readonly forgottenServerIds?: readonly string[];
}

/** A Recovery Services vault with a daily policy protecting the servers that hold data. */
export class DataProtection extends Construct {
  readonly vault: RecoveryServicesVault;

  constructor(scope: Construct, id: string, props: DataProtectionProps) {
    super(scope, id);
    this.vault = new RecoveryServicesVault(this, 'Resource', {
      name: `rsv-${props.namePrefix}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
      sku: 'Standard',
      softDeleteEnabled: true,
      storageModeType: 'GeoRedundant',
      crossRegionRestoreEnabled: true,
      // A managed identity: what the vault authenticates with for customer-managed keys and private endpoints.
      identity: { type: 'SystemAssigned' },
    });
    const policy = new BackupPolicyVm(this, 'daily-policy', {
      name: 'daily',
      // The servers are Trusted Launch VMs (secure boot, vTPM), which Azure Backup protects with the
      // Enhanced policy; it also keeps the instant-restore snapshots zone-redundant.
      policyType: 'V2',
      resourceGroupName: props.resourceGroupName,
      recoveryVaultName: this.vault.name,
      timezone: 'UTC',
      backup: { frequency: 'Daily', time: props.time },
      retentionDaily: { count: props.retentionDays },
    });
    const protect = (server: Server, stopped: boolean) =>
      // Keyed by the server's stable id, so scaling a tier only adds protection, and stopping it changes one attribute.
      new BackupProtectedVm(this, server.id, {
        resourceGroupName: props.resourceGroupName,
        recoveryVaultName: this.vault.name,
        sourceVmId: server.vm.id,
        backupPolicyId: policy.id,
        // "Stop protection and retain backup data" (Azure Backup: stop protecting a VM).
        protectionState: stopped ? 'ProtectionStopped' : undefined,
      });
    for (const server of props.servers) protect(server, false);
    for (const server of props.stoppedServers ?? []) protect(server, true);
    for (const id of props.forgottenServerIds ?? []) new ForgottenResource(this, id, 'azurerm_backup_protected_vm');
  }
}
