import { nonCompliant, Rule } from './rule';
import { isVm } from './topology';

/**
 * With patching in rings, every server is patched by the platform on the user's schedule (`AutomaticByPlatform`
 * with the bypass flag) and has exactly one maintenance assignment, to an in-guest patch configuration.
 * Without the flag, or without an assignment, Azure patches it on its own schedule (Update Manager,
 * "Schedule recurring updates": an AutomaticByPlatform VM without both is treated as automatic guest patching).
 */
export const maintenanceAssignment: Rule = (resource, { stack, inputs }) => {
  if (!inputs.maintenanceEnabled || !isVm(resource)) return 'n/a';
  if (resource.body.patch_mode !== 'AutomaticByPlatform')
    return nonCompliant(`patch_mode is ${resource.body.patch_mode ?? 'unset (AutomaticByOS)'}, not AutomaticByPlatform`);
  if (resource.body.bypass_platform_safety_checks_on_user_schedule_enabled !== true)
    return nonCompliant('bypass_platform_safety_checks_on_user_schedule_enabled is not true');
  const assignments = stack.referrers('azurerm_maintenance_assignment_virtual_machine', 'virtual_machine_id', resource);
  if (assignments.length !== 1) return nonCompliant(`${assignments.length} maintenance assignments; a server needs exactly one (its ring)`);
  const configuration = stack.target(assignments[0].body.maintenance_configuration_id);
  if (configuration?.body.scope !== 'InGuestPatch')
    return nonCompliant(
      `its assignment points at ${configuration?.address ?? 'no maintenance configuration of this stack'}, not an InGuestPatch configuration`,
    );
  return 'compliant';
};
