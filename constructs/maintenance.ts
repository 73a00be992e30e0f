import { MaintenanceAssignmentVirtualMachine } from '@cdktf/provider-azurerm/lib/maintenance-assignment-virtual-machine';
import { MaintenanceConfiguration } from '@cdktf/provider-azurerm/lib/maintenance-configuration';
import { Construct } from 'constructs';
import { Ring } from './maintenance-rings';
import { Server } from './windows-server-pool';

/** Props of the patching rings. */
export interface MaintenanceProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** The ring table (constructs/maintenance-rings.ts). */
  readonly rings: readonly Ring[];
  /** Every server of the environment, by server id (`mfa-1`). */
  readonly servers: ReadonlyMap<string, Server>;
  readonly reboot: string;
  readonly classifications: readonly string[];
}

/**
 * One Azure Update Manager maintenance configuration per ring (scope `InGuestPatch`, the user's schedule) and
 * one assignment per server. Configurations are addressed by ring name and assignments by server id, so
 * scaling only adds and a promotion replaces only the assignments of the new and the old master.
 */
export class Maintenance extends Construct {
  readonly configurations = new Map<string, MaintenanceConfiguration>();
  readonly assignments = new Map<string, MaintenanceAssignmentVirtualMachine>();

  constructor(scope: Construct, id: string, props: MaintenanceProps) {
    super(scope, id);
    // Under one scope, by server id: `maintenance/assignments/mfa-1`.
    const assignments = new Construct(this, 'assignments');
    for (const ring of props.rings) {
      const w = ring.window;
      const configuration = new MaintenanceConfiguration(this, ring.name, {
        name: `mc-${props.namePrefix}-${ring.name}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        tags: props.tags,
        scope: 'InGuestPatch',
        // "User": the schedule below decides when, not Azure's own availability-first orchestration.
        inGuestUserPatchMode: 'User',
        window: { startDateTime: w.startDateTime, duration: w.duration, recurEvery: w.recurEvery, timeZone: w.timeZone },
        installPatches: { reboot: props.reboot, windows: [{ classificationsToInclude: [...props.classifications] }] },
      });
      this.configurations.set(ring.name, configuration);
      for (const member of ring.members) {
        const server = props.servers.get(member.server);
        if (!server) throw new Error(`Maintenance: ring ${ring.name} names ${member.server}, which does not exist`);
        this.assignments.set(
          member.server,
          new MaintenanceAssignmentVirtualMachine(assignments, member.server, {
            location: props.location,
            maintenanceConfigurationId: configuration.id,
            virtualMachineId: server.vm.id,
          }),
        );
      }
    }
  }
}
