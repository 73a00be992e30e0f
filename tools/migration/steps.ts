import type { Environment } from '../../config/schema';
import type { Source } from '../../constructs/platform-dependencies';
import type { StackFacts } from './stack-facts';

/*
 * The shape of the runbook's data: a step is something a person does (or reads back) on the way off MFA Server,
 * with who acts, the role it needs, where, the exact commands, and the pages it rests on. The steps are declared
 * once (tools/migration/tenant-steps.ts, server-steps.ts, checks.ts) and listed per stage in
 * tools/migration/runbook-table.ts; tools/migration/runbook.ts resolves them for one environment.
 */

/** Who acts. */
export type Actor =
  | 'tenant administrator'
  | 'MFA Server administrator'
  | 'AD administrator'
  | 'AD FS administrator'
  | 'NPS administrator'
  | 'RADIUS client owner'
  | 'deployer'
  | 'communications';

/** How a step is carried out: commands (PowerShell, a POSIX shell, a Log Analytics query), a path through a console, a message, or a file edit. */
export interface Action {
  readonly kind: 'powershell' | 'shell' | 'kusto' | 'gui' | 'message' | 'json';
  readonly lines: readonly string[];
}

/** What a step reads of the environment: the validated file, and the synthesized stacks of this and the previous stage. */
export interface RunbookContext {
  readonly env: Environment;
  /** The environment file, as the user names it (`environments/prod.json`). */
  readonly file: string;
  /** This stage's synthesized stack. */
  readonly facts: StackFacts;
  /** The previous stage's synthesized stack, where there is one. */
  readonly previous?: StackFacts;
  /** The federation service name, the mfaapp and portal names (config/service-names.ts). */
  readonly names: { readonly mfaApp: string; readonly portal: string; readonly federationService: string };
}

/** One step as declared. */
export interface StepDefinition {
  /** Stable key: tests and the stage table name steps by it. */
  readonly key: string;
  readonly title: string;
  readonly actor: Actor;
  /** The least role it needs, with where the role lives (Microsoft Entra, AD, a server, Azure). */
  readonly role: string;
  /** Where it is done: a server (by the toolkit's server id and computer name), a workstation, a console. */
  readonly where: (ctx: RunbookContext) => string;
  /** The exact commands, or the console path. */
  readonly action: (ctx: RunbookContext) => Action;
  /** For a check: what the output shows when the stage is done. */
  readonly expect?: (ctx: RunbookContext) => string;
  readonly notes?: (ctx: RunbookContext) => readonly string[];
  readonly sources: readonly Source[];
  /** What part of the step rests on no Microsoft page (an inference, or the toolkit's own choice). */
  readonly inference?: string;
  /** Only where this holds (an NPS extension still to install, RADIUS still on). @default always */
  readonly appliesTo?: (ctx: RunbookContext) => boolean;
  /** When it applies, in words, for a runbook where it does not (`nps.extensionInstalled is false`); required with appliesTo. */
  readonly condition?: string;
  /** The pages call it optional. */
  readonly optional?: boolean;
}

/** A step resolved for one environment. */
export interface RunbookStep {
  readonly key: string;
  readonly title: string;
  readonly actor: Actor;
  readonly role: string;
  readonly where: string;
  readonly action: Action;
  readonly expect?: string;
  readonly notes: readonly string[];
  readonly sources: readonly Source[];
  readonly inference?: string;
  readonly optional: boolean;
  /** Set where the step does not apply to this environment: when it would (its condition). */
  readonly skipped?: string;
}

/** The step for one environment; where it does not apply, only its title and when it would. */
export function resolveStep(step: StepDefinition, ctx: RunbookContext): RunbookStep {
  if (step.appliesTo && !step.appliesTo(ctx)) {
    return {
      key: step.key,
      title: step.title,
      actor: step.actor,
      role: step.role,
      where: '',
      action: { kind: 'gui', lines: [] },
      notes: [],
      sources: step.sources,
      optional: step.optional ?? false,
      skipped: step.condition ?? 'it applies',
    };
  }
  return {
    key: step.key,
    title: step.title,
    actor: step.actor,
    role: step.role,
    where: step.where(ctx),
    action: step.action(ctx),
    expect: step.expect?.(ctx),
    notes: step.notes?.(ctx) ?? [],
    sources: step.sources,
    inference: step.inference,
    optional: step.optional ?? false,
  };
}

/** A PowerShell string literal: single quotes, a quote doubled. */
export const psQuote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The tenant of the migration block, or a placeholder naming the field to fill. */
export const tenantOf = (ctx: RunbookContext) => ctx.env.migration?.tenantId ?? '<migration.tenantId>';

/** The Microsoft Graph PowerShell sign-in with the delegated scopes a step needs. */
export const connectGraph = (ctx: RunbookContext, scopes: readonly string[]) =>
  `Connect-MgGraph -TenantId ${psQuote(tenantOf(ctx))} -Scopes ${scopes.map(psQuote).join(', ')}`;

/** The servers of a tier as `mfa-1 (prod-mfa1)`, or the tier's name where the stack has none. */
export const serverList = (ctx: RunbookContext, tier: string, facts: StackFacts = ctx.facts) => {
  const servers = facts.servers.filter((s) => s.tier === tier);
  return servers.length ? servers.map((s) => `${s.id} (${s.computerName})`).join(', ') : `the ${tier} servers`;
};

/** The MFA Server master, `mfa-1 (prod-mfa1)`, from the stack (its role tag), else from the config. */
export const masterOf = (ctx: RunbookContext, facts: StackFacts = ctx.facts) => {
  const master = facts.servers.find((s) => s.tier === 'mfa' && s.role === 'master');
  return master ? `${master.id} (${master.computerName})` : `mfa-${ctx.env.mfa.masterIndex + 1}`;
};

/** The RADIUS clients as the config knows them. */
export const radiusClientsOf = (ctx: RunbookContext) => (ctx.env.mfa.radius.enabled ? ctx.env.mfa.radius.clientCidrs.join(', ') : '(mfa.radius is off)');

/** A workstation with Microsoft Graph PowerShell. */
export const GRAPH_WORKSTATION = 'a workstation with Microsoft Graph PowerShell (Install-Module Microsoft.Graph)';
/** A workstation with the Azure CLI, signed in to the environment's subscription. */
export const AZ_WORKSTATION = 'a workstation with the Azure CLI (az login)';
