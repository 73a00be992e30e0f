import { IConstruct } from 'constructs';
import { POLICY_RULES } from './catalog';

/** A rule deliberately waived for a construct and everything below it. */
export interface Suppression {
  /** Construct path the waiver covers: `prod/wap`. */
  readonly path: string;
  readonly ruleId: string;
  /** Why breaking the rule is right here; at least 10 characters. */
  readonly reason: string;
}

/** The shortest reason a suppression may give. */
export const MIN_REASON_LENGTH = 10;

const suppressions = new WeakMap<IConstruct, Suppression[]>();

/**
 * Waives one rule of the pack for `scope` and every resource below it. The reason is required: a
 * suppression is a design decision that a reviewer must be able to read.
 */
export function suppress(scope: IConstruct, ruleId: string, reason: string): void {
  if (!POLICY_RULES.some((r) => r.id === ruleId)) throw new Error(`suppress(${scope.node.path}): no policy rule ${ruleId}`);
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`suppress(${scope.node.path}, ${ruleId}): give a reason of at least ${MIN_REASON_LENGTH} characters`);
  }
  suppressions.set(scope, [...(suppressions.get(scope) ?? []), { path: scope.node.path, ruleId, reason: reason.trim() }]);
}

/** Every suppression made on `root` or a construct below it. */
export function suppressionsIn(root: IConstruct): Suppression[] {
  return root.node.findAll().flatMap((c) => suppressions.get(c) ?? []);
}
