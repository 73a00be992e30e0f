import type { Tool } from '../cli';

/**
 * `mfa-ha failures <env> [--with <failure>] [--synth] [--markdown]`: every single failure of the synthesized
 * environment replayed on its journeys. `--with` combines each with another failure: a failure id (`zone:2`,
 * `ring:ring-1`, `server:mfa-3`), a server id, `master`, `wid-primary`, or a kind (`zone`, `ring`).
 */
export const FAILURES_TOOL: Tool = {
  name: 'failures',
  description: 'every failure of a synthesized environment (server, zone, ring) replayed on its user journeys',
  options: {
    synth: { type: 'boolean', description: 'synthesize first, even when the stack exists' },
    markdown: { type: 'boolean', description: 'the table as Markdown' },
    with: {
      type: 'string',
      value: 'failure',
      description: 'combine each failure with another: zone:1, ring:ring-1, a server id, master, wid-primary, zone or ring',
    },
  },
  run: async ({ environment, values }, log) => {
    const path = await import('path');
    const [{ UserError }, { ensureSynthesized }, { failuresNamed }, { failureModelOf }, { failureRows, renderMarkdown, renderText }] = await Promise.all([
      import('../../stacks/user-error'),
      import('../synthesized-stack'),
      import('./failures'),
      import('./model'),
      import('./report'),
    ]);
    const synthesized = ensureSynthesized(environment, { synth: values.synth === true, log });
    const model = failureModelOf(synthesized.stack);
    const partner = typeof values.with === 'string' ? failuresNamed(model, values.with) : undefined;
    if (partner && partner.length === 0) {
      throw new UserError(
        `--with names no failure of ${environment}: "${values.with}" (give a failure id such as zone:1 or ring:ring-1, a server id, master, wid-primary, zone or ring)`,
      );
    }
    log(`replaying the failures of ${environment}${partner ? ` with ${partner.map((p) => p.id).join(', ')}` : ''}...`);
    const rows = failureRows(model, { with: partner });
    const relative = path.relative(process.cwd(), synthesized.file);
    const title = `Failures of ${environment} (${relative.startsWith('..') ? path.resolve(synthesized.file) : relative}), migration stage ${model.stage.name}`;
    process.stdout.write(values.markdown ? `${renderMarkdown(rows)}\n` : renderText(model, rows, title));
  },
};
