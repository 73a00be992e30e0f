import * as path from 'path';
import { outdirOf, UserError } from '../stacks/synthesize';
import { noEnvironmentNamed } from '../stacks/user-error';
import { isEmptyPlan, planStack } from './change-plan';
import { PlanSubject, renderPlan } from './change-report';
import { baselineOf } from './plan-baseline';
import { skippedStageOf } from './stage-moves';
import { readSynthesis, resolveRef, synthesizeAtRef, synthesizeWorkingTree } from './synth-sources';

/** What `npm run diff` compares. */
export interface OfflineDiffOptions {
  /** Environments to report; empty: every environment of either side. */
  readonly names: readonly string[];
  /** A git ref to compare with; undefined: the last synth (`outdir`), as the state allows (./plan-baseline.ts). */
  readonly against?: string;
  /** The project's root (the git checkout). */
  readonly root: string;
  /** Environment file or directory. @default $MFA_HA_CONFIG, else environments/ */
  readonly config?: string;
  /** @default $CDKTF_OUTDIR, else cdktf.out */
  readonly outdir?: string;
  readonly log?: (line: string) => void;
}

/** The plans of the working tree's stacks against a commit or the last synth. */
export function offlineDiff(options: OfflineDiffOptions): PlanSubject[] {
  const log = options.log ?? (() => {});
  const outdir = options.outdir ?? outdirOf();
  const config = options.config ?? process.env.MFA_HA_CONFIG;
  let against: string;
  let before;
  if (options.against !== undefined) {
    const ref = resolveRef(options.root, options.against);
    log(`synthesizing ${ref.label}...`);
    // The same environment files, as the commit has them.
    const atRef = config === undefined ? undefined : path.relative(options.root, path.resolve(config));
    if (atRef?.startsWith('..')) throw new UserError(`MFA_HA_CONFIG (${config}) lies outside the repository: --against cannot read it at another commit`);
    before = synthesizeAtRef(options.root, ref, { config: atRef, log });
    against = ref.label;
  } else {
    before = readSynthesis(outdir);
    if (before.size === 0) throw new UserError(`${outdir} holds no synthesized stack to compare with: run npm run synth first, or pass --against <git ref>`);
    against = `the last synth (${outdir})`;
  }
  log('synthesizing the working tree...');
  const { stacks: after, files } = synthesizeWorkingTree(config);
  const known = [...new Set([...before.keys(), ...after.keys()])].sort();
  const unknown = options.names.filter((n) => !known.includes(n));
  if (unknown.length) throw noEnvironmentNamed(unknown[0], known, ' on either side');
  return (options.names.length ? [...options.names] : known).map((name): PlanSubject => {
    const now = after.get(name);
    if (!now) return { plan: planStack(name, before.get(name)!, {}), against, presence: 'gone' };
    if (options.against !== undefined) {
      // A commit: what a pull request changes. Nothing of this machine (state, earlier synths) counts.
      if (before.has(name)) return { plan: planStack(name, before.get(name)!, now), against, skippedStage: skippedStageOf(before.get(name)!, now) };
      return { plan: planStack(name, {}, now), against, presence: 'new', notes: [`Not in ${against}: every resource is to be added.`] };
    }
    // The last synth, as far as the state says it was deployed.
    const baseline = baselineOf(name, before.get(name), now, { outdir, root: options.root, file: files.get(name) });
    return {
      plan: planStack(name, baseline.doc, now),
      against,
      presence: baseline.presence,
      notes: baseline.notes,
      skippedStage: before.has(name) ? skippedStageOf(before.get(name)!, now) : undefined,
    };
  });
}

/** The whole report, Markdown. */
export const renderOfflineDiff = (subjects: readonly PlanSubject[]) => ['## What will change', '', ...subjects.flatMap(renderPlan)].join('\n');

/** What a plan that replaces or destroys something (or that would be refused) exits with under `--fail-on-replace`. */
export const EXIT_REPLACE = 3;

/**
 * The exit code of `npm run diff`, as `terraform plan -detailed-exitcode` gives it: 0 when nothing changes, 2 when
 * something does (1, an error, is the CLI's). With `failOnReplace`, EXIT_REPLACE when anything is replaced or
 * destroyed (a cascade and what Azure deletes with a container included), or refused.
 */
export function exitCodeOf(subjects: readonly PlanSubject[], options: { readonly failOnReplace?: boolean } = {}): 0 | 2 | 3 {
  if (subjects.every((s) => isEmptyPlan(s.plan))) return 0;
  const drastic = subjects.some(
    (s) => s.skippedStage !== undefined || s.plan.changes.some((c) => c.action === 'replace' || c.action === 'destroy' || c.refusals.length > 0),
  );
  return options.failOnReplace && drastic ? EXIT_REPLACE : 2;
}
