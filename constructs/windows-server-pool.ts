import { AvailabilitySet } from '@cdktf/provider-azurerm/lib/availability-set';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { NetworkInterfaceBackendAddressPoolAssociation } from '@cdktf/provider-azurerm/lib/network-interface-backend-address-pool-association';
import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { WindowsVirtualMachine } from '@cdktf/provider-azurerm/lib/windows-virtual-machine';
import { Construct } from 'constructs';
import { DomainJoin, domainJoiner } from './domain-join';
import { TierName } from './values';

export type { DomainJoin } from './domain-join';

/** A marketplace image. */
export interface ImageReference {
  /** Image publisher, e.g. `MicrosoftWindowsServer`. */
  readonly publisher: string;
  /** Image offer, e.g. `WindowsServer`. */
  readonly offer: string;
  /** Image SKU, e.g. `2022-datacenter-azure-edition`. */
  readonly sku: string;
  /** Image version, or `latest`. */
  readonly version: string;
}

/** Membership of one server in a load-balancer pool. */
export interface PoolMembership {
  /** Stable key, part of the association's address: `mfaapp-master`. */
  readonly key: string;
  /** Id of the load balancer's backend address pool. */
  readonly poolId: string;
}

/** Settings every server of the environment shares. */
export interface ServerDefaults {
  /** Prefix of Azure resource names, e.g. `mfaha-prod`. */
  readonly namePrefix: string;
  /** Windows computer name of the n-th (1-based) server of a tier. */
  readonly computerName: (tier: TierName, n: number) => string;
  /** Resource group of every server. */
  readonly resourceGroupName: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /** Tags of every resource; each VM adds `tier` and `role` to them. */
  readonly tags: Record<string, string>;
  /** Zones to spread servers across, round-robin; empty: one availability set per tier. */
  readonly zones: readonly string[];
  /** Marketplace image of every server. */
  readonly image: ImageReference;
  /** Storage account type of the OS disks, e.g. `Premium_LRS`. */
  readonly osDiskType: string;
  /** Local administrator's name. */
  readonly adminUsername: string;
  /**
   * Patched by the platform on the schedules of Azure Update Manager (constructs/maintenance.ts); omit to leave
   * Windows' own Automatic Updates (Azure's default, AutomaticByOS) in charge.
   */
  readonly platformPatching?: {
    readonly hotpatchingEnabled: boolean;
    /**
     * The VM's own reboot setting for platform patching: it takes precedence over the maintenance configuration's
     * (`reboot_setting` of azurerm_windows_virtual_machine), so it is set to the same value.
     */
    readonly rebootSetting: string;
  };
}

/** What a tier construct needs to build its servers. */
export interface TierProps {
  /** What every server of the environment shares. */
  readonly defaults: ServerDefaults;
  /** How many servers; the HA design needs at least 2 per tier. */
  readonly count: number;
  /** VM size, e.g. `Standard_D2s_v5`. */
  readonly vmSize: string;
  /** Subnet of the servers' NICs and of an internal load balancer's frontend. */
  readonly subnetId: string;
  /** A reference to the admin password, never a literal. */
  readonly adminPassword: string;
  /** The egress load balancer's pool every server joins, with zone-redundant egress (constructs/egress.ts). */
  readonly egressPool?: PoolMembership;
}

/** Props of a pool of identical Windows servers. */
export interface WindowsServerPoolProps extends TierProps {
  readonly tier: TierName;
  /** Omit to leave the servers out of the domain (the WAP servers of the perimeter network). */
  readonly domainJoin?: DomainJoin;
  /** PowerShell statements run once on every server (roles, registry), after the domain join. */
  readonly setupCommands: readonly string[];
  /** `role` tag of the server at a 0-based index. @default the tier name */
  readonly roleOf?: (index: number) => string;
  /** Load-balancer pools of the server at a 0-based index. */
  readonly poolsOf: (index: number) => readonly PoolMembership[];
  /** prevent_destroy on the VM and CanNotDelete locks on its OS disk and NIC: for servers that hold data. */
  readonly deletionProtection: boolean;
  /** User-assigned managed identity of every server (Key Vault, Azure Monitor Agent); omit for none. */
  readonly identityId?: string;
}

/** One server of a pool. */
export interface Server {
  /** Construct id and name suffix: `mfa-1`. */
  readonly id: string;
  /** 0-based position in the tier. */
  readonly index: number;
  /** Azure name of the VM. */
  readonly name: string;
  /** Windows computer name. */
  readonly computerName: string;
  /** Its `role` tag, e.g. `master` or `subordinate` for the MFA servers. */
  readonly role: string;
  /** The virtual machine. */
  readonly vm: WindowsVirtualMachine;
  /** Its network interface, in the tier's subnet. */
  readonly nic: NetworkInterface;
  /** Construct scope of the server: what other constructs add to it (extensions, run commands) is addressed by the server number. */
  readonly scope: Construct;
  /** The role installation (CustomScriptExtension), after the domain join: later configuration steps follow it. */
  readonly setup: VirtualMachineExtension;
}

const IP_CONFIG = 'primary';

/** N Windows servers of one tier: NICs, VMs across zones, extensions and pool membership. */
export class WindowsServerPool extends Construct {
  /** The tier the servers belong to. */
  readonly tier: TierName;
  /** The servers, in order: `<tier>-1`, `<tier>-2`, … */
  readonly servers: Server[] = [];

  constructor(scope: Construct, id: string, props: WindowsServerPoolProps) {
    super(scope, id);
    this.tier = props.tier;
    const d = props.defaults;
    const common = { resourceGroupName: d.resourceGroupName, location: d.location };
    const availabilitySet =
      d.zones.length === 0
        ? new AvailabilitySet(this, 'availability-set', {
            ...common,
            tags: d.tags,
            name: `avail-${d.namePrefix}-${props.tier}`,
            managed: true,
            platformFaultDomainCount: 2,
            platformUpdateDomainCount: 5,
          })
        : undefined;

    const joinDomain = props.domainJoin && domainJoiner(this, props.tier, props.domainJoin);

    for (let index = 0; index < props.count; index++) {
      // Ids come from the 1-based server number, so adding a server never re-addresses another.
      const serverId = `${props.tier}-${index + 1}`;
      const scope = new Construct(this, serverId);
      const role = props.roleOf?.(index) ?? props.tier;
      const name = `vm-${d.namePrefix}-${serverId}`;
      const computerName = d.computerName(props.tier, index + 1);
      const tags = { ...d.tags, tier: props.tier, role };
      const nic = new NetworkInterface(scope, 'nic', {
        ...common,
        tags: d.tags,
        name: `nic-${d.namePrefix}-${serverId}`,
        ipConfiguration: [{ name: IP_CONFIG, subnetId: props.subnetId, privateIpAddressAllocation: 'Dynamic' }],
      });
      const vm = new WindowsVirtualMachine(scope, 'Resource', {
        ...common,
        tags,
        name,
        computerName,
        size: props.vmSize,
        adminUsername: d.adminUsername,
        adminPassword: props.adminPassword,
        networkInterfaceIds: [nic.id],
        zone: d.zones.length > 0 ? d.zones[index % d.zones.length] : undefined,
        availabilitySetId: availabilitySet?.id,
        sourceImageReference: { ...d.image },
        osDisk: { name: `osdisk-${d.namePrefix}-${serverId}`, caching: 'ReadWrite', storageAccountType: d.osDiskType },
        encryptionAtHostEnabled: true,
        secureBootEnabled: true,
        vtpmEnabled: true,
        provisionVmAgent: true,
        automaticUpdatesEnabled: true,
        // Customer-managed schedules: AutomaticByPlatform with the bypass flag, and one maintenance assignment per server.
        ...(d.platformPatching && {
          patchMode: 'AutomaticByPlatform',
          bypassPlatformSafetyChecksOnUserScheduleEnabled: true,
          hotpatchingEnabled: d.platformPatching.hotpatchingEnabled || undefined,
          rebootSetting: d.platformPatching.rebootSetting,
        }),
        bootDiagnostics: {},
        identity: props.identityId ? { type: 'UserAssigned', identityIds: [props.identityId] } : undefined,
        lifecycle: {
          preventDestroy: props.deletionProtection,
          // The password only seeds the VM; rotating the secret must not replace the server.
          ignoreChanges: ['admin_password'],
        },
      });
      if (props.deletionProtection) {
        // Not on the VM: extension resources (VM extensions, Run Commands, data collection rule associations) inherit
        // the lock of the resource they belong to, and a CanNotDelete lock on the VM would stop the toolkit from ever
        // removing one ("Lock your resources to protect your infrastructure", lock inheritance). The OS disk holds the
        // data (PhoneFactor.pfdata, the WID farm database) and the NIC the server's address; Terraform's
        // prevent_destroy keeps the VM itself.
        const why = `${props.tier} server: holds data of the MFA HA deployment; remove the lock deliberately before deleting`;
        new ManagementLock(scope, 'os-disk-lock', {
          name: `lock-${d.namePrefix}-${serverId}-osdisk`,
          scope: vm.osDisk.id,
          lockLevel: 'CanNotDelete',
          notes: why,
        });
        new ManagementLock(scope, 'nic-lock', { name: `lock-${d.namePrefix}-${serverId}-nic`, scope: nic.id, lockLevel: 'CanNotDelete', notes: why });
      }
      const domainJoin = joinDomain?.({ id: serverId, scope, vm });
      const setup = new VirtualMachineExtension(scope, 'setup', {
        name: 'setup',
        virtualMachineId: vm.id,
        publisher: 'Microsoft.Compute',
        type: 'CustomScriptExtension',
        typeHandlerVersion: '1.10',
        autoUpgradeMinorVersion: true,
        settings: JSON.stringify({ commandToExecute: powershell(props.setupCommands) }),
        // The domain join restarts the server: configure it afterwards.
        dependsOn: domainJoin ? [domainJoin] : undefined,
      });
      for (const pool of [...props.poolsOf(index), ...(props.egressPool ? [props.egressPool] : [])]) {
        new NetworkInterfaceBackendAddressPoolAssociation(scope, `pool-${pool.key}`, {
          networkInterfaceId: nic.id,
          ipConfigurationName: IP_CONFIG,
          backendAddressPoolId: pool.poolId,
        });
      }
      this.servers.push({ id: serverId, index, name, computerName, role, vm, nic, scope, setup });
    }
  }
}

/**
 * One PowerShell command line from statements, for CustomScriptExtension. `powershell.exe -Command` exits with
 * the status of its last statement only (PowerShell/PowerShell#13501, about_PowerShell_exe), so a failed first
 * statement would report success: every error stops the statements and exits 1, naming it.
 */
export function powershell(statements: readonly string[]): string {
  if (statements.some((s) => s.includes('"'))) throw new Error('a setup statement holds a double quote, which would end the -Command argument');
  const body = [
    "$ErrorActionPreference = 'Stop'",
    `try { ${statements.join('; ')} } catch { [Console]::Error.WriteLine(('setup failed: {0}' -f $_.Exception.Message)); exit 1 }`,
  ];
  return `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "${body.join('; ')}"`;
}
