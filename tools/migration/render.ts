import type { Stage } from '../../constructs/migration-stages';
import type { ChangeAction } from '../change-plan';
import type { DeploySummary } from './deploy-summary';
import type { Runbook } from './runbook';
import type { RunbookStep } from './steps';

/*
 * The runbook as text for the terminal (`npm run migration -- <env>`) and as Markdown (`--markdown`, and
 * docs/migration.md): the same sections in the same order, from the same data.
 */

const ACTIONS: readonly ChangeAction[] = ['create', 'update', 'replace', 'destroy', 'forget'];
const LABEL: Record<ChangeAction, string> = { create: 'add', update: 'change', replace: 'replace', destroy: 'destroy', forget: 'forget (kept in Azure)' };
const STATUS = { new: 'runs: new', changed: 'runs again: changed', unchanged: 'does not run: unchanged', 'in place': 'part of the design' } as const;
const FENCE: Record<string, string> = { powershell: 'powershell', shell: 'sh', kusto: 'kusto', json: 'json' };

/** What the stage table (constructs/migration-stages.ts) says a stage deploys. */
function stageFacts(stage: Stage): string[] {
  const radius = { mfa: 'the MFA servers', nps: 'the NPS servers', none: 'nowhere (the address is gone)' }[stage.mfaappRadius];
  const entra = { nobody: 'nobody', groups: 'the members of migration.groupSids, by claim rules', everyone: 'everyone' }[stage.entraMfaFor];
  return [
    `Servers: ${stage.tiers.join(', ')}${stage.tiers.includes('nps') ? ' (nps where the file has an nps block)' : ''}`,
    `MFA servers keep prevent_destroy, their CanNotDelete locks and their backup: ${stage.mfaProtected ? 'yes' : 'no'}`,
    `RADIUS on the mfaapp address reaches: ${radius}`,
    `AD FS sends to Microsoft Entra MFA: ${entra}; the MFA Server adapter is ${stage.mfaServerAdapter ? 'registered' : 'removed'}`,
    `User portal and mobile app web service published through the proxies: ${stage.portalPublished ? 'yes (where configured)' : 'no'}`,
  ];
}

/** A stage table phrase as a sentence: its first letter capital. */
const sentence = (phrase: string) => phrase.charAt(0).toUpperCase() + phrase.slice(1);

/** The deploy commands of an environment. */
const deployCommands = (env: string) => [`npm run diff -- ${env}`, `npx cdktf diff ${env}`, `npx cdktf deploy ${env}`];

/** The actions worth a column: `forget` only where the plan has any (stage decommissioned). */
const shownActions = (d: DeploySummary) => ACTIONS.filter((a) => a !== 'forget' || (d.counts?.forget ?? 0) > 0);
const countsLine = (d: DeploySummary) =>
  shownActions(d)
    .map((a) => `${d.counts![a]} to ${LABEL[a]}`)
    .join(', ');

/** The plan and the scripts, in either rendering. */
function deployLines(book: Runbook, md: boolean): string[] {
  const d = book.deploy;
  const code = (s: string) => (md ? `\`${s}\`` : s);
  const lines: string[] = [];
  if (d.counts) {
    lines.push(`Against stage "${book.previous}" (offline plan of the two synthesized stacks): ${countsLine(d)}.`, '');
    if (d.parts.length) {
      const actions = shownActions(d);
      const title = (a: ChangeAction) => LABEL[a].charAt(0).toUpperCase() + LABEL[a].slice(1);
      if (md) lines.push(`| Part of the stack | ${actions.map(title).join(' | ')} | Resource types |`, `|---|${actions.map(() => '---|').join('')}---|`);
      for (const p of d.parts) {
        const counts = actions.map((a) => p.counts[a]);
        lines.push(
          md
            ? `| ${code(p.part)} | ${counts.join(' | ')} | ${p.types.join(', ')} |`
            : `  ${p.part.padEnd(20)} ${actions.map((a, i) => `${LABEL[a]} ${counts[i]}`).join(', ')}: ${p.types.join(', ')}`,
        );
      }
      lines.push('');
    }
    if (d.standouts.length) lines.push('Look at these first:', ...d.standouts.map((s) => `- ${code(s)}`), '');
  } else if (book.deployUnavailable) {
    lines.push(`No comparison with the previous stage: ${book.deployUnavailable}.`, '');
  } else {
    lines.push('The first stage: the deploy is the design as it is today, with nothing of the migration.', '');
  }
  lines.push('Scripts (Run Commands), in the order Terraform runs them; a wave starts once the waves before it are done:', '');
  let wave = 0;
  for (const s of d.scripts) {
    if (s.wave !== wave) {
      wave = s.wave;
      lines.push(md ? `- wave ${wave}:` : `  wave ${wave}:`);
    }
    lines.push(`${md ? '  - ' : '    '}${code(s.script)} on ${s.server} (${s.computerName}): ${STATUS[s.status]}`);
  }
  if (d.removedScripts.length) {
    lines.push('', 'Run Commands this stage removes (Terraform deletes the Run Command resource; what its script did stays on the server):');
    for (const s of d.removedScripts) lines.push(`${md ? '- ' : '  '}${code(s.script)} on ${s.server} (${s.computerName})`);
  }
  return lines;
}

/** A step as Markdown. */
function stepMarkdown(step: RunbookStep, n: string): string[] {
  if (step.skipped) return [`**${n} ${step.title}**: not needed here (only where ${step.skipped}).`, ''];
  const lines = [`**${n} ${step.title}**${step.optional ? ' (optional)' : ''}`, '', `- Who: ${step.actor}; role: ${step.role}`, `- Where: ${step.where}`];
  if (step.action.kind in FENCE) lines.push('', `\`\`\`${FENCE[step.action.kind]}`, ...step.action.lines, '```', '');
  else lines.push(...step.action.lines.map((l) => `- ${step.action.kind === 'message' ? 'Tell: ' : ''}${l}`));
  if (step.expect) lines.push(`- Expect: ${step.expect}`);
  for (const note of step.notes) lines.push(`- Note: ${note}`);
  if (step.inference) lines.push(`- Not on a Microsoft page: ${step.inference}`);
  if (step.sources.length) lines.push(`- Source: ${step.sources.map((s) => `[${s.title}](${s.url})`).join('; ')}`);
  return [...lines, ''];
}

/** A step as terminal text. */
function stepText(step: RunbookStep, n: string): string[] {
  if (step.skipped) return [`  ${n} ${step.title}: not needed here (only where ${step.skipped})`, ''];
  const lines = [`  ${n} ${step.title}${step.optional ? ' (optional)' : ''}`, `      who:    ${step.actor}; role: ${step.role}`, `      where:  ${step.where}`];
  const verb = { powershell: 'run', shell: 'run', kusto: 'query', json: 'edit', gui: 'do', message: 'tell' }[step.action.kind];
  lines.push(`      ${verb}:`, ...step.action.lines.map((l) => `        ${l}`));
  if (step.expect) lines.push(`      expect: ${step.expect}`);
  for (const note of step.notes) lines.push(`      note:   ${note}`);
  if (step.inference) lines.push(`      not on a Microsoft page: ${step.inference}`);
  for (const s of step.sources) lines.push(`      source: ${s.title} <${s.url}>`);
  return [...lines, ''];
}

/** The sections of a runbook: title, then lines; the renderers number and format them. */
function sections(book: Runbook, md: boolean): { title: string; lines: string[] }[] {
  const steps = (list: readonly RunbookStep[], prefix: number, from = 1) => list.flatMap((s, i) => (md ? stepMarkdown : stepText)(s, `${prefix}.${from + i}`));
  const out: { title: string; lines: string[] }[] = [];
  const add = (title: string, body: (n: number) => string[]) => out.push({ title, lines: body(out.length + 1) });
  const none = ['Nothing.', ''];
  add('Before cdktf deploy', (n) => (book.before.length ? steps(book.before, n) : none));
  add('cdktf deploy', () => [
    ...(md ? ['```sh', ...deployCommands(book.env), '```', ''] : [...deployCommands(book.env).map((c) => `  ${c}`), '']),
    ...(md ? [] : ['']),
    'What the stage table says it deploys:',
    '',
    ...stageFacts(book.stage).map((f) => (md ? `- ${f}` : `  ${f}`)),
    '',
    ...deployLines(book, md),
    '',
  ]);
  add('After cdktf deploy', (n) => (book.after.length ? steps(book.after, n) : none));
  add('Done when', (n) => steps(book.checks, n));
  if (book.next) add(`Next: stage ${book.next.stage}`, (n) => steps([book.next!.edit], n));
  if (book.back) {
    const back = book.back;
    add(`The way back: stage ${back.to}`, (n) => [
      `What the deploy of "${back.to}" does: ${back.does}.`,
      '',
      `What is lost: ${back.loses}.`,
      '',
      ...steps([...back.before, back.edit], n),
      `${md ? '' : '  '}Then cdktf deploy (as above).`,
      '',
      ...steps(back.after, n, back.before.length + 2),
    ]);
  }
  return out;
}

/** The runbook as Markdown: its title at heading `level` (default 1), its sections one below. */
export function renderMarkdown(book: Runbook, options: { readonly level?: number; readonly title?: string } = {}): string {
  const level = options.level ?? 1;
  const h = (l: number) => '#'.repeat(l);
  const body = sections(book, true).flatMap((s, i) => [`${h(level + 1)} ${i + 1}. ${s.title}`, '', ...s.lines]);
  return (
    [`${h(level)} ${options.title ?? `${book.env} at stage ${book.stage.name}`}`, '', `${sentence(book.stage.summary)}.`, '', ...body]
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/** The runbook as terminal text. */
export function renderText(book: Runbook): string {
  const title = `Runbook of ${book.env} (${book.file}) at migration stage "${book.stage.name}"`;
  const body = sections(book, false).flatMap((s, i) => [`${i + 1}. ${s.title.toUpperCase()}`, '', ...s.lines]);
  return (
    [title, '='.repeat(title.length), '', `${sentence(book.stage.summary)}.`, '', ...body]
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}
