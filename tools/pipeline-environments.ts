import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/*
 * The environments azure-pipelines.yml deploys: its `environments` parameter, one entry per environment file with
 * an azurerm backend, in deployment order. Azure DevOps fixes stages and approval gates when it compiles the
 * pipeline, before any file is read, so the list is kept by hand; `npm run new-env` adds the entry of an
 * environment it creates with an azurerm backend, and test/pipelines.test.ts names the line to add or remove.
 */

/** The pipeline file, beside the `environments/` directory. */
export const AZURE_PIPELINE = 'azure-pipelines.yml';

/** Deployment order: dev first, prod last, any other between them, by name (as scripts/environment-names.sh sorts). */
const rank = (name: string) => (name === 'dev' ? 0 : name === 'prod' ? 2 : 1);
export const inDeploymentOrder = (names: readonly string[]): string[] => [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));

/** The entry of an environment, as one line of YAML (what a user adds by hand). */
export const pipelineEntry = (name: string) => `- { name: ${name}, serviceConnection: mfa-ha-${name}, planServiceConnection: mfa-ha-${name}-plan }`;

/** The environments the pipeline lists, in its order. */
export function listedInPipeline(text: string): string[] {
  const doc = parse(text) as { parameters?: { name?: string; default?: { name?: string }[] }[] };
  return (doc.parameters?.find((p) => p.name === 'environments')?.default ?? []).map((e) => String(e.name));
}

/** The 1-based line of the `default:` of the `environments` parameter; the list's entries follow it. */
export function environmentsLine(text: string): number {
  const lines = text.split('\n');
  const at = lines.findIndex(
    (l, i) =>
      /^\s+default:\s*$/.test(l) &&
      /name: environments$/.test(
        lines
          .slice(0, i)
          .reverse()
          .find((x) => /name: /.test(x)) ?? '',
      ),
  );
  return at + 1;
}

/**
 * What azure-pipelines.yml lacks or has too many, one line each: `deployable` are the names of the environment
 * files with an azurerm backend (file names for the message by name).
 */
export function pipelineProblems(text: string, deployable: readonly { readonly name: string; readonly file: string }[]): string[] {
  const listed = listedInPipeline(text);
  const line = environmentsLine(text) + 1;
  const names = deployable.map((d) => d.name);
  const missing = deployable
    .filter((d) => !listed.includes(d.name))
    .map(
      (d) =>
        `${AZURE_PIPELINE}:${line}: add "${pipelineEntry(d.name)}" to parameters.environments, at its place in deployment order (${d.file} has an azurerm backend; npm run new-env adds it)`,
    );
  const extra = listed
    .filter((n) => !names.includes(n))
    .map((n) => `${AZURE_PIPELINE}: remove ${n} from parameters.environments (no environment file with an azurerm backend is named ${n})`);
  const order =
    missing.length === 0 && extra.length === 0 && listed.join() !== inDeploymentOrder(listed).join()
      ? [`${AZURE_PIPELINE}:${line}: list parameters.environments in deployment order (dev first, prod last): ${inDeploymentOrder(listed).join(', ')}`]
      : [];
  return [...missing, ...extra, ...order];
}

/**
 * The pipeline text with environment `name` added to its `environments` parameter at its place in deployment order,
 * in the file's own layout (a block mapping per entry); undefined when the list cannot be found or edited safely.
 */
export function withPipelineEntry(text: string, name: string): string | undefined {
  const listed = listedInPipeline(text);
  if (listed.includes(name)) return text;
  const lines = text.split('\n');
  const start = environmentsLine(text);
  if (start <= 0) return undefined;
  // The entries: `- name: x` items, with their indentation, until the list ends.
  const items: { name: string; line: number }[] = [];
  let indent: string | undefined;
  let end = start;
  for (let i = start; i < lines.length; i++) {
    const item = /^(\s+)- name: (\S+)\s*$/.exec(lines[i]);
    if (item && (indent === undefined || item[1] === indent)) {
      indent = item[1];
      items.push({ name: item[2], line: i });
      end = i + 1;
    } else if (indent !== undefined && lines[i].startsWith(`${indent}  `)) end = i + 1;
    else break;
  }
  if (indent === undefined || items.map((i) => i.name).join() !== listed.join()) return undefined;
  const order = inDeploymentOrder([...listed, name]);
  const next = items.find((i) => order.indexOf(i.name) > order.indexOf(name));
  const at = next ? next.line : end;
  const entry = [`${indent}- name: ${name}`, `${indent}  serviceConnection: mfa-ha-${name}`, `${indent}  planServiceConnection: mfa-ha-${name}-plan`];
  const result = [...lines.slice(0, at), ...entry, ...lines.slice(at)].join('\n');
  return listedInPipeline(result).join() === order.join() ? result : undefined;
}

/**
 * Adds environment `name` to the pipeline beside the environments directory `dir`, when there is one. Returns what
 * to tell the user: what was added and what to create in Azure DevOps, or exactly what to add by hand.
 */
export function addToPipeline(dir: string, name: string): string[] {
  const file = path.join(path.dirname(path.resolve(dir)), AZURE_PIPELINE);
  const shown = path.relative(process.cwd(), file) || file;
  const devops = `create the Azure DevOps environments mfa-ha-${name}-plan and mfa-ha-${name} (with approvals) and the service connections mfa-ha-${name}-plan and mfa-ha-${name} (docs/pipelines.md)`;
  if (!fs.existsSync(file))
    return [`It has an azurerm backend: if an Azure DevOps pipeline deploys it, add "${pipelineEntry(name)}" to its parameters.environments, then ${devops}`];
  const text = fs.readFileSync(file, 'utf8');
  const next = withPipelineEntry(text, name);
  if (next === undefined)
    return [
      `It has an azurerm backend: add "${pipelineEntry(name)}" to parameters.environments of ${shown} (line ${environmentsLine(text) + 1}), at its place in deployment order, then ${devops}`,
    ];
  if (next !== text) fs.writeFileSync(file, next);
  return [`It has an azurerm backend: ${next === text ? 'already listed' : 'added'} in parameters.environments of ${shown}; ${devops}`];
}
