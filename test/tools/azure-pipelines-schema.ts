import { z } from 'zod';

/**
 * A focused schema of the Azure Pipelines YAML this project uses: strict objects, so that a misspelt key
 * (`dependOn`, `addSpnToEnviroment`) fails instead of being silently ignored by the service. It covers the
 * keywords and tasks azure-pipelines.yml uses; anything else must be added here on purpose.
 */
const id = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only');
const common = {
  displayName: z.string().optional(),
  condition: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  name: id.optional(),
  timeoutInMinutes: z.number().int().positive().optional(),
};

/** The inputs each task accepts (the subset used), by task reference. */
const taskInputs = {
  'NodeTool@0': z.strictObject({ versionSpec: z.string() }),
  'AzureCLI@2': z.strictObject({
    azureSubscription: z.string().min(1),
    scriptType: z.enum(['bash', 'ps', 'pscore', 'batch']),
    scriptLocation: z.enum(['inlineScript', 'scriptPath']),
    inlineScript: z.string().min(1),
    addSpnToEnvironment: z.boolean(),
  }),
  'PublishPipelineArtifact@1': z.strictObject({ targetPath: z.string().min(1), artifact: z.string().min(1) }),
};
const task = z.union(
  Object.entries(taskInputs).map(([name, inputs]) => z.strictObject({ task: z.literal(name), inputs, ...common })) as unknown as [z.ZodType, z.ZodType],
);
const step = z.union([
  z.strictObject({ checkout: z.string(), fetchDepth: z.number().int().min(0).optional(), ...common }),
  z.strictObject({ script: z.string().min(1), ...common }),
  z.strictObject({ bash: z.string().min(1), ...common }),
  z.strictObject({ download: z.literal('current'), artifact: z.string().min(1), ...common }),
  task,
]);
const steps = z.array(step).min(1);
const dependsOn = z.union([id, z.array(id)]).optional();

const job = z.strictObject({ job: id, dependsOn, steps, ...common });
const deployment = z.strictObject({
  deployment: id,
  environment: z.string().min(1),
  dependsOn,
  strategy: z.strictObject({ runOnce: z.strictObject({ deploy: z.strictObject({ steps }) }) }),
  ...common,
});
const stage = z.strictObject({
  stage: id,
  displayName: z.string().optional(),
  dependsOn,
  condition: z.string().optional(),
  lockBehavior: z.enum(['sequential', 'runLatest']).optional(),
  jobs: z.array(z.union([job, deployment])).min(1),
});
const branches = z.strictObject({ branches: z.strictObject({ include: z.array(z.string()).min(1) }) });

/** The pipeline, after template expansion. */
export const azurePipelineSchema = z.strictObject({
  trigger: branches,
  pr: branches,
  parameters: z.array(
    z.strictObject({ name: id, displayName: z.string().optional(), type: z.enum(['string', 'boolean', 'number', 'object']), default: z.unknown() }),
  ),
  variables: z.array(z.strictObject({ name: id, value: z.string() })),
  pool: z.strictObject({ vmImage: z.string() }),
  stages: z.array(stage).min(1),
});

/**
 * Expands the compile-time template syntax the pipeline uses, with the parameters' defaults:
 * `- ${{ each x in parameters.list }}:` list items and `${{ x.field }}` / `${{ parameters.name }}` in strings.
 * Any other `${{ … }}` is left as it is, except that a reference to an unknown loop variable is an error.
 */
export function expandTemplate(pipeline: any): any {
  const defaults = Object.fromEntries((pipeline.parameters ?? []).map((p: any) => [p.name, p.default]));
  const lookup = (expression: string, scope: Record<string, any>): unknown => {
    const [head, ...rest] = expression.split('.');
    const base = head === 'parameters' ? defaults : scope;
    const keys = head === 'parameters' ? rest : [head, ...rest];
    const value = keys.reduce<any>((v, k) => (v === undefined ? undefined : v[k]), base);
    if (value === undefined) throw new Error(`\${{ ${expression} }} refers to nothing`);
    return value;
  };
  const expand = (node: any, scope: Record<string, any>): any => {
    if (typeof node === 'string') {
      return node.replace(/\$\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g, (_, e: string) => String(lookup(e, scope)));
    }
    if (Array.isArray(node)) {
      return node.flatMap((item) => {
        const key = item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1 ? Object.keys(item)[0] : '';
        const each = /^\$\{\{\s*each (\w+) in ([\w.]+)\s*\}\}$/.exec(key);
        if (!each) return [expand(item, scope)];
        const list = lookup(each[2], scope) as unknown[];
        return list.flatMap((value) => expand(item[key], { ...scope, [each[1]]: value }));
      });
    }
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [expand(k, scope), expand(v, scope)]));
    }
    return node;
  };
  return expand(pipeline, {});
}
