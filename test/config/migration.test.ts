import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { STAGE_NAMES } from '../../constructs/migration-stages';
import { main } from '../../stacks/synthesize';
import { configErrorOf, synthObject, variant, workstationEnv } from '../helpers';
import { FIXTURE_TENANT, prodAtStage } from './fixtures';

/*
 * The migration block and the NPS tier as a new user would mistype them (issue #24, item 6): one line naming the
 * field, nothing written. And every stage of prod as the file would read there is accepted.
 */
describe('the way off MFA Server: what the config refuses', () => {
  test.each(STAGE_NAMES)('accepts prod at stage %s', (stage) => {
    expect(configErrorOf(prodAtStage(stage))).toBeUndefined();
  });

  test('accepts a file written before the migration block, and synthesizes it exactly as with stage mfa-server', () => {
    expect(synthObject(variant('prod'))).toEqual(synthObject(prodAtStage('mfa-server')));
  });

  test.each<[string, any, string]>([
    [
      'an unknown stage',
      prodAtStage('parallel', (c) => (c.migration.stage = 'cloud')),
      'migration.stage must be one of "mfa-server", "parallel", "entra", "retiring", "decommissioned", got "cloud"',
    ],
    [
      'a migration group that is not a SID',
      prodAtStage('parallel', (c) => (c.migration.groupSids = ['CONTOSO\\MFA-Pilot'])),
      'migration.groupSids[0] must be the SID of an on-premises AD group, such as S-1-5-21-1004336348-1177238915-682003330-1107 ((Get-ADGroup <name>).SID), got "CONTOSO\\\\MFA-Pilot"',
    ],
    [
      'a well-known SID that is no domain group',
      prodAtStage('parallel', (c) => (c.migration.groupSids = ['S-1-5-32-544'])),
      'migration.groupSids[0] must be the SID of an on-premises AD group',
    ],
    [
      'an NPS tier without RADIUS clients',
      prodAtStage('parallel', (c) => (c.nps.radiusClients = [])),
      'nps.radiusClients must be a list of at least one RADIUS client: an NPS tier without clients serves nobody, got []',
    ],
    [
      'group selection on an AD FS 2016 farm',
      prodAtStage(
        'parallel',
        (c) => (c.adfs.image = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2016-datacenter-gensecond', version: 'latest' }),
      ),
      'adfs.image.sku must be Windows Server 2019 or later for the AD FS servers at migration.stage "parallel": choosing the provider by group needs farm behaviour level 4',
    ],
    [
      "decommissioning while RADIUS clients still target the MFA servers' address",
      prodAtStage('decommissioned', (c) => (c.mfa.radius = { enabled: true, clientCidrs: ['10.40.0.0/24'] })),
      'mfa.radius.enabled must be false at migration.stage "decommissioned": RADIUS clients 10.40.0.0/24 still target the mfaapp address, which is removed',
    ],
    [
      'stage parallel without a tenant',
      prodAtStage('parallel', (c) => delete c.migration.tenantId),
      'migration.tenantId is required at migration.stage "parallel"',
    ],
    [
      'stage parallel without migration groups',
      prodAtStage('parallel', (c) => (c.migration.groupSids = [])),
      'migration.groupSids must list at least one on-premises AD group at migration.stage "parallel"',
    ],
    [
      'NPS servers before stage parallel',
      prodAtStage('parallel', (c) => (c.migration.stage = 'mfa-server')),
      'nps must be left out at migration.stage "mfa-server": the NPS servers are deployed from stage "parallel" on',
    ],
    [
      'RADIUS at stage parallel without NPS servers',
      prodAtStage('parallel', (c) => {
        delete c.nps;
        delete c.network.subnets.nps;
      }),
      'nps is required at migration.stage "parallel" while mfa.radius.enabled is true',
    ],
    ['an NPS tier without its subnet', prodAtStage('parallel', (c) => delete c.network.subnets.nps), 'network.subnets.nps is required with the nps block'],
    [
      'a RADIUS client of the mfaapp address the NPS servers do not know, at entra',
      prodAtStage('entra', (c) => c.mfa.radius.clientCidrs.push('10.42.0.0/24')),
      'mfa.radius.clientCidrs[2] must be covered by an nps.radiusClients address at migration.stage "entra"',
    ],
    [
      'NPS ports other than the mfaapp address forwards, at entra',
      prodAtStage('entra', (c) => (c.nps.authenticationPort = 1645)),
      'nps.authenticationPort must equal mfa.radius.authenticationPort (1812) at migration.stage "entra"',
    ],
  ])('refuses %s with one line naming the field', (_name, input, message) => {
    const error = configErrorOf(input);
    expect(error).toContain(message);
    expect(error!.split('\n')).toHaveLength(1);
  });
});

describe('one stage at a time', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-stages-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Synthesizes prod, as written at `stage`, into the scratch folder as `npm run synth` does; stderr and the exit code. */
  function synthAt(stage: (typeof STAGE_NAMES)[number], change?: (input: any) => void): { exitCode: number | string | undefined; stderr: string } {
    const file = path.join(dir, 'environments', 'prod.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(prodAtStage(stage, change)));
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    const saved = process.exitCode;
    process.exitCode = undefined;
    try {
      main({ MFA_HA_CONFIG: file, CDKTF_OUTDIR: path.join(dir, 'cdktf.out'), ...workstationEnv() });
      return { exitCode: process.exitCode, stderr: lines.join('') };
    } finally {
      process.exitCode = saved;
      spy.mockRestore();
    }
  }
  const synthesized = () => fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8');

  test('refuses a skipped stage after the last synth, with one line, and writes nothing; one step forward or back passes', () => {
    expect(synthAt('parallel').exitCode).toBeUndefined();
    const before = synthesized();
    const skip = synthAt('retiring');
    expect(skip.exitCode).toBe(1);
    expect(skip.stderr).toBe(
      `error: ${path.join(dir, 'environments', 'prod.json')}: migration.stage must move one stage at a time: the last synth (${path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json')}) has "parallel", so it can be "parallel" or "mfa-server" or "entra", got "retiring"\n`,
    );
    expect(synthesized()).toBe(before);
    expect(synthAt('entra').exitCode).toBeUndefined();
    expect(synthAt('parallel').exitCode).toBeUndefined();
  });

  test('refuses the way back from parallel to mfa-server without migration.tenantId, with one line; with it, passes', () => {
    expect(synthAt('parallel').exitCode).toBeUndefined();
    const before = synthesized();
    const dropped = synthAt('mfa-server', (c) => delete c.migration);
    expect(dropped.exitCode).toBe(1);
    expect(dropped.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(dropped.stderr).toContain('prod.json: migration.tenantId must stay in the file on the way back from "parallel"');
    expect(synthesized()).toBe(before);
    expect(synthAt('mfa-server', (c) => (c.migration = { stage: 'mfa-server', tenantId: FIXTURE_TENANT })).exitCode).toBeUndefined();
  });

  test('reads the stage Terraform applied from a local state file first', () => {
    expect(synthAt('entra').exitCode).toBeUndefined();
    // The state says parallel was the last stage applied (a synth of entra was never deployed).
    const state = { version: 4, outputs: { migration_stage: { value: 'parallel', type: 'string' } }, resources: [{ type: 'azurerm_resource_group' }] };
    fs.writeFileSync(path.join(dir, 'terraform.prod.tfstate'), JSON.stringify(state));
    const skip = synthAt('retiring');
    expect(skip.stderr).toContain('migration.stage must move one stage at a time: terraform.prod.tfstate has "parallel"');
    expect(skip.exitCode).toBe(1);
  });

  test('an environment never synthesized or deployed here may start at any stage', () => {
    expect(synthAt('decommissioned').exitCode).toBeUndefined();
  });
});
