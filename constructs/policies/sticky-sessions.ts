import type { TierName } from '../values';
import { nonCompliant, PolicyContext, Verdict } from './rule';
import type { ResourceView } from './stack-view';
import { tierOfLb } from './topology';

/** `load_distribution` values that keep a client on one backend. */
const STICKY = ['SourceIP', 'SourceIPProtocol'];

/**
 * The verdict for a load-balancing rule that must be sticky when it belongs to `tier`'s load balancer
 * and `applies` to the rule; n/a for anything else.
 */
export function stickyRule(resource: ResourceView, context: PolicyContext, tier: TierName, applies: (rule: ResourceView) => boolean): Verdict {
  if (resource.kind !== 'resource' || resource.type !== 'azurerm_lb_rule') return 'n/a';
  const lb = context.stack.target(resource.body.loadbalancer_id);
  if (!lb || tierOfLb(lb, context) !== tier || !applies(resource)) return 'n/a';
  const distribution = String(resource.body.load_distribution ?? 'Default');
  return STICKY.includes(distribution) ? 'compliant' : nonCompliant(`load_distribution is ${distribution}, not SourceIP`);
}
