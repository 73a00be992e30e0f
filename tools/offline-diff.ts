import * as path from 'path';
import { outdirOf, UserError } from '../stacks/synthesize';
import { planStack } from './change-plan';
import { PlanSubject, renderPlan } from './change-report';
import { readSynthesis, resolveRef, synthesizeAtRef, synthesizeWorkingTree } from './synth-sources';

/** What `npm run diff` compares. */
export interface OfflineDiffOptions {
  /** Environments to report; empty: every environment of either side. */
  readonly names: readonly string[];
  /** A git ref to compare with; undefined: the last synth (`outdir`). */
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
  const after = synthesizeWorkingTree(config);
  const known = [...new Set([...before.keys(), ...after.keys()])].sort();
  const unknown = options.names.filter((n) => !known.includes(n));
  if (unknown.length) throw new UserError(`no environment is named "${unknown[0]}" on either side (known: ${known.join(', ')})`);
  return (options.names.length ? [...options.names] : known).map((name) => ({
    plan: planStack(name, before.get(name) ?? {}, after.get(name) ?? {}),
    against,
    presence: !before.has(name) ? ('new' as const) : !after.has(name) ? ('gone' as const) : undefined,
  }));
}

/** The whole report, Markdown. */
export const renderOfflineDiff = (subjects: readonly PlanSubject[]) => ['## What will change', '', ...subjects.flatMap(renderPlan)].join('\n');
