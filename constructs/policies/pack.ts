import { IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { POLICY_RULES, PolicyRule } from './catalog';
import { isNonCompliant, PolicyInputs } from './rule';
import { StackView, TerraformJsonInput } from './stack-view';
import { Suppression, suppressionsIn } from './suppress';

/** A broken rule on one block of the synthesized Terraform. */
export interface Finding {
  readonly ruleId: string;
  /** Terraform address of the block. */
  readonly address: string;
  /** Construct path of the block, when it has one. */
  readonly path?: string;
  readonly message: string;
  readonly reason: string;
}

/** What the pack found in one stack. */
export interface PolicyReport {
  /** Findings no suppression covers: each fails the synth. */
  readonly violations: readonly Finding[];
  /** Findings waived, with the waiver. */
  readonly suppressed: readonly (Finding & { readonly suppression: Suppression })[];
  /** How many blocks each rule judged compliant: a rule that never applies checks nothing. */
  readonly compliant: Readonly<Record<string, number>>;
}

/** One line per finding: `MFAHA-NET-03 azurerm_network_security_rule.x: no RDP, SSH or WinRM from the Internet (reason)`. */
export const formatFinding = (f: Finding) => `${f.ruleId} ${f.address}: ${f.message} (${f.reason})`;

const covers = (s: Suppression, f: Finding) => s.ruleId === f.ruleId && f.path !== undefined && (f.path === s.path || f.path.startsWith(`${s.path}/`));

/** Runs the rules over synthesized Terraform JSON. */
export function evaluatePolicies(
  json: TerraformJsonInput,
  inputs: PolicyInputs,
  suppressions: readonly Suppression[] = [],
  rules: readonly PolicyRule[] = POLICY_RULES,
): PolicyReport {
  const stack = new StackView(json);
  const violations: Finding[] = [];
  const suppressed: (Finding & { suppression: Suppression })[] = [];
  const compliant: Record<string, number> = {};
  for (const { id, message, rule } of rules) {
    compliant[id] = 0;
    for (const resource of stack.all) {
      const verdict = rule(resource, { stack, inputs });
      if (verdict === 'compliant') compliant[id]++;
      if (!isNonCompliant(verdict)) continue;
      const finding: Finding = { ruleId: id, address: resource.address, path: resource.path, message, reason: verdict.reason };
      const suppression = suppressions.find((s) => covers(s, finding));
      if (suppression) suppressed.push({ ...finding, suppression });
      else violations.push(finding);
    }
  }
  return { violations, suppressed, compliant };
}

/** Synthesized Terraform that breaks the policy pack: one line per violation. */
export class PolicyError extends Error {
  constructor(
    readonly stackName: string,
    readonly violations: readonly Finding[],
  ) {
    super(violations.map((v) => `${stackName}: ${formatFinding(v)}`).join('\n'));
    this.name = 'PolicyError';
  }
}

/** A stack that can keep the Terraform the pack judged, so that the synth writes that very JSON instead of resolving the stack again. */
export interface KeepsJudgedTerraform {
  keepJudgedTerraform(json: Record<string, unknown>): void;
}

const keepsJudgedTerraform = (node: object): node is KeepsJudgedTerraform => typeof (node as Partial<KeepsJudgedTerraform>).keepJudgedTerraform === 'function';

/**
 * The policy pack as an Aspect: when the stack is synthesized, its resolved Terraform is checked and
 * any violation that no suppression covers fails the synth with a PolicyError.
 */
export class PolicyPack implements IAspect {
  constructor(readonly inputs: PolicyInputs) {}

  /** Checks a stack once, when the aspect reaches it; other constructs are covered through its Terraform. */
  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const json = node.toTerraform();
    const report = evaluatePolicies(json, this.inputs, suppressionsIn(node));
    if (report.violations.length > 0) throw new PolicyError(node.node.id, report.violations);
    if (keepsJudgedTerraform(node)) node.keepJudgedTerraform(json);
  }
}
