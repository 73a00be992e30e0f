import * as fs from 'fs';
import * as path from 'path';
import { addToPipeline, inDeploymentOrder, listedInPipeline, pipelineProblems, withPipelineEntry } from '../../tools/pipeline-environments';
import { fixtureEnvironments, ROOT } from '../helpers';

const shipped = fs.readFileSync(path.join(ROOT, 'azure-pipelines.yml'), 'utf8');

/**
 * A pipeline laid out as azure-pipelines.yml is, deploying prod only: a fixture, so that the tests hold whatever
 * environments the project's own pipeline lists (npm run new-env adds to it).
 */
const pipeline = [
  'trigger:',
  '  branches:',
  '    include: [main]',
  '',
  'parameters:',
  '  # The environments this pipeline deploys.',
  '  - name: environments',
  '    displayName: Environments, deployed in this order',
  '    type: object',
  '    default:',
  '      - name: prod',
  '        serviceConnection: mfa-ha-prod',
  '        planServiceConnection: mfa-ha-prod-plan',
  '  # The container of the reviewed plans.',
  '  - name: planContainer',
  '    type: string',
  '    default: tfplans',
  '',
].join('\n');

describe("azure-pipelines.yml's environments", () => {
  test('an environment is added at its place in deployment order (dev first, prod last, others by name), in the file’s layout', () => {
    const withStage = withPipelineEntry(pipeline, 'stage')!;
    const withBoth = withPipelineEntry(withStage, 'dev')!;
    expect(listedInPipeline(withBoth)).toEqual(
      ['dev', ...listedInPipeline(pipeline).filter((n) => n !== 'prod'), 'stage', 'prod'].filter((n, i, all) => all.indexOf(n) === i),
    );
    const entry = '      - name: stage\n        serviceConnection: mfa-ha-stage\n        planServiceConnection: mfa-ha-stage-plan\n';
    expect(withStage).toContain(`${entry}      - name: prod\n`);
    // Everything else of the file is kept as it was.
    expect(withStage.replace(entry, '')).toBe(pipeline);
    expect(withPipelineEntry(withStage, 'stage')).toBe(withStage);
    // AND the project's own pipeline has that layout: new-env can edit it
    expect(listedInPipeline(withPipelineEntry(shipped, 'zz9')!)).toEqual(inDeploymentOrder([...listedInPipeline(shipped), 'zz9']));
  });

  test('says in one line what is missing or too many', () => {
    expect(pipelineProblems(pipeline, [{ name: 'prod', file: 'environments/prod.json' }])).toEqual([]);
    expect(
      pipelineProblems(pipeline, [
        { name: 'prod', file: 'environments/prod.json' },
        { name: 'stage', file: 'environments/stage.json' },
      ]),
    ).toEqual([
      expect.stringMatching(
        /^azure-pipelines\.yml:11: add "- \{ name: stage, serviceConnection: mfa-ha-stage, planServiceConnection: mfa-ha-stage-plan \}" to parameters\.environments, at its place in deployment order \(environments\/stage\.json has an azurerm backend; npm run new-env adds it\)$/,
      ),
    ]);
    expect(pipelineProblems(pipeline, [])).toEqual([
      'azure-pipelines.yml: remove prod from parameters.environments (no environment file with an azurerm backend is named prod)',
    ]);
  });

  test('new-env edits the pipeline beside the environments directory, or says exactly what to add when there is none', () => {
    const dir = fixtureEnvironments();
    try {
      expect(addToPipeline(dir, 'stage')).toEqual([
        expect.stringMatching(
          /^It has an azurerm backend: if an Azure DevOps pipeline deploys it, add "- \{ name: stage, .*\}" to its parameters\.environments, then create/,
        ),
      ]);
      fs.writeFileSync(path.join(path.dirname(dir), 'azure-pipelines.yml'), pipeline);
      expect(addToPipeline(dir, 'stage')).toEqual([
        expect.stringMatching(
          /^It has an azurerm backend: added in parameters\.environments of .*azure-pipelines\.yml; create the Azure DevOps environments mfa-ha-stage-plan and mfa-ha-stage/,
        ),
      ]);
      expect(listedInPipeline(fs.readFileSync(path.join(path.dirname(dir), 'azure-pipelines.yml'), 'utf8'))).toEqual(['stage', 'prod']);
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
