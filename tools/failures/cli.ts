import * as path from 'path';
import { UserError } from '../../stacks/synthesize';
import type { Tool } from '../cli';
import { ensureSynthesized } from '../synthesized-stack';
import { failuresNamed } from './failures';
import { failureModelOf } from './model';
import { failureRows, renderMarkdown, renderText } from './report';

const OPTIONS = { synth: { type: 'boolean' }, markdown: { type: 'boolean' }, with: { type: 'string' } } as const;

/**
 * `npm run failures -- <env> [--with <failure>] [--synth] [--markdown]`: every single failure of the synthesized
 * environment replayed on its journeys. `--with` combines each with another failure: a failure id (`zone:2`,
 * `ring:ring-1`, `server:mfa-3`), a server id, `master`, `wid-primary`, or a kind (`zone`, `ring`).
 */
export const FAILURES_TOOL: Tool<typeof OPTIONS> = {
  name: 'failures',
  usage: 'npm run failures -- <environment> [--with <failure>] [--synth] [--markdown]',
  options: OPTIONS,
  run: ({ environment, values }, log) => {
    const synthesized = ensureSynthesized(environment, { synth: values.synth === true, log });
    const model = failureModelOf(synthesized.stack);
    const partner = typeof values.with === 'string' ? failuresNamed(model, values.with) : undefined;
    if (partner && partner.length === 0) {
      throw new UserError(`--with names no failure of ${environment}: "${values.with}" (give a failure id such as zone:1 or ring:ring-1, a server id, master, wid-primary, zone or ring)`);
    }
    log(`replaying the failures of ${environment}${partner ? ` with ${partner.map((p) => p.id).join(', ')}` : ''}...`);
    const rows = failureRows(model, { with: partner });
    const relative = path.relative(process.cwd(), synthesized.file);
    const title = `Failures of ${environment} (${relative.startsWith('..') ? path.resolve(synthesized.file) : relative}), migration stage ${model.stage.name}`;
    process.stdout.write(values.markdown ? `${renderMarkdown(rows)}\n` : renderText(model, rows, title));
  },
};
