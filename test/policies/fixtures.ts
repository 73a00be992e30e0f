import type { EnvironmentInput } from '../../config/schema';
import { PolicyInputs, Rule, Verdict } from '../../constructs/policies/rule';
import { StackView } from '../../constructs/policies/stack-view';
import { policyInputsOf } from '../../stacks/environment-options';
import { stackOf, validate, variant } from '../helpers';

/** Synthesized Terraform with cdktf's metadata (construct paths) and the policy inputs of its environment. */
export interface Synthesized {
  readonly json: any;
  readonly inputs: PolicyInputs;
}

/** The Terraform of an environment input as the policy pack sees it: resolved, construct paths kept. */
export function synthesize(input: EnvironmentInput): Synthesized {
  return { json: stackOf(input).toTerraform(), inputs: policyInputsOf(validate(input)) };
}

const shippedCache = new Map<string, Synthesized>();

/** A fresh copy of a shipped environment's Terraform, free to change. */
export function shipped(name: 'dev' | 'prod'): Synthesized {
  if (!shippedCache.has(name)) shippedCache.set(name, synthesize(variant(name)));
  return structuredClone(shippedCache.get(name)!);
}

/** One rule's verdict on every block, by address. */
export function verdicts(rule: Rule, { json, inputs }: Synthesized): Map<string, Verdict> {
  const stack = new StackView(json);
  return new Map(stack.all.map((r) => [r.address, rule(r, { stack, inputs })]));
}

/** The addresses a rule judged non-compliant, with the reasons. */
export function violations(rule: Rule, synthesized: Synthesized): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [address, verdict] of verdicts(rule, synthesized)) if (typeof verdict === 'object') found[address] = verdict.reason;
  return found;
}

/** How many blocks a rule judged compliant. */
export function compliantCount(rule: Rule, synthesized: Synthesized): number {
  return [...verdicts(rule, synthesized).values()].filter((v) => v === 'compliant').length;
}

/** The resources of one type whose construct path contains `pathPart`, as [name, body] pairs to change in place. */
export function bodies(json: any, type: string, pathPart = ''): [string, any][] {
  return Object.entries<any>(json.resource[type] ?? {}).filter(([, body]) => body['//'].metadata.path.includes(pathPart));
}

/** The one resource of a type under `pathPart`. */
export function only(json: any, type: string, pathPart = ''): [string, any] {
  const found = bodies(json, type, pathPart);
  if (found.length !== 1) throw new Error(`${found.length} ${type} under ${pathPart}`);
  return found[0];
}
