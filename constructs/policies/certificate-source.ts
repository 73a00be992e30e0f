import { Port } from '../values';
import { nonCompliant, Rule } from './rule';
import { listOf } from './stack-view';
import { blocksOf, isVm, nicsInPool, nicsOfVm, VM_TYPES } from './topology';

/** The ports a load balancer serves TLS on: HTTPS, and AD FS certificate authentication. */
const TLS_PORTS: readonly number[] = [Port.HTTPS.port, Port.CERTIFICATE_AUTH.port];

/**
 * With certificates configured, every server behind an HTTPS listener gets its certificate from Key Vault:
 * a user-assigned identity and the Key Vault extension. A listener without a certificate answers with
 * whatever IIS or AD FS finds, or nothing.
 */
export const certificateSource: Rule = (resource, { stack, inputs }) => {
  if (!inputs.certificatesEnabled || resource.kind !== 'resource' || resource.type !== 'azurerm_lb_rule') return 'n/a';
  if (!TLS_PORTS.includes(Number(resource.body.frontend_port))) return 'n/a';
  const pools = listOf(resource.body.backend_address_pool_ids).flatMap((id) => listOf(stack.target(id)));
  const nics = new Set(pools.flatMap((pool) => nicsInPool(pool, stack)));
  const servers = VM_TYPES.flatMap((t) => stack.ofType(t)).filter((vm) => isVm(vm) && nicsOfVm(vm, stack).some((nic) => nics.has(nic)));
  if (servers.length === 0) return 'n/a';
  for (const vm of servers) {
    const extensions = stack.referrers('azurerm_virtual_machine_extension', 'virtual_machine_id', vm).filter((e) => e.body.type === 'KeyVaultForWindows');
    if (extensions.length === 0)
      return nonCompliant(`${vm.body.name} serves port ${resource.body.frontend_port} without the Key Vault extension installing its certificate`);
    const identity = blocksOf(vm.body.identity)[0];
    if (!identity || listOf(identity.identity_ids).length === 0)
      return nonCompliant(`${vm.body.name} has no user-assigned identity to read its certificate with`);
  }
  return 'compliant';
};
