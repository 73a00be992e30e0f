import * as fs from 'fs';
import * as path from 'path';
import { STAGE_NAMES, StageName, stageOf } from '../../constructs/migration-stages';
import { migrationGuide } from '../../tools/migration/guide';
import { renderMarkdown, renderText } from '../../tools/migration/render';
import { Runbook, runbookOf, stepsOf } from '../../tools/migration/runbook';
import { RUNBOOK, STEPS } from '../../tools/migration/runbook-table';
import { inputAtStage, runbooksAtEveryStage, StageInput, stageStacksOf } from '../../tools/migration/stage-stacks';
import { FIXTURE_GROUP_SID, FIXTURE_TENANT, prodAtStage } from '../config/fixtures';
import { ROOT, synthObject, validate } from '../helpers';

/** A synthesizer for the runbook that shares the run's synth cache (test/helpers.ts). */
const cachedSynth = (stage: StageInput) => synthObject(stage.input as any) as any;

/** The runbook of prod at each stage, as docs/migration.md shows it. */
const prodRunbooks = (): Record<StageName, Runbook> => {
  const books = runbooksAtEveryStage('environments/prod.json', (stage) => prodAtStage(stage), cachedSynth);
  return Object.fromEntries(books.map((b) => [b.stage.name, b])) as Record<StageName, Runbook>;
};

let books: Record<StageName, Runbook>;
beforeAll(() => {
  books = prodRunbooks();
});

const step = (book: Runbook, key: string) => stepsOf(book).find((s) => s.key === key);

describe('the runbook table', () => {
  test('names only declared steps, each once per list, and every stage has checks', () => {
    for (const stage of STAGE_NAMES) {
      const t = RUNBOOK[stage];
      for (const list of [t.before, t.after, t.checks, t.back.before, t.back.after]) {
        expect(list.filter((k) => !STEPS.has(k))).toEqual([]);
        expect(new Set(list).size).toBe(list.length);
      }
      expect(t.checks).toContain('stage-output');
    }
  });

  test('every step says who acts, with which role, and the pages it rests on; a conditional step says when it applies', () => {
    for (const s of STEPS.values()) {
      expect([s.key, s.role.trim().length > 0]).toEqual([s.key, true]);
      expect([s.key, s.sources.length > 0]).toEqual([s.key, true]);
      expect([s.key, s.appliesTo === undefined || (s.condition ?? '').length > 0]).toEqual([s.key, true]);
    }
  });
});

describe.each(STAGE_NAMES)('the runbook of prod at stage %s', (stage) => {
  test('names every manual step with its command and its role, in the terminal and in Markdown', () => {
    const book = books[stage];
    const text = renderText(book);
    const markdown = renderMarkdown(book);
    const applied = stepsOf(book).filter((s) => !s.skipped);
    // every key of the table is in the runbook, applied or said to be not needed here
    const table = RUNBOOK[stage];
    expect(stepsOf(book).map((s) => s.key)).toEqual(expect.arrayContaining([...table.before, ...table.after, ...table.checks]));
    for (const s of applied) {
      expect([s.key, s.action.lines.length > 0, s.role.length > 0]).toEqual([s.key, true, true]);
      for (const rendered of [text, markdown]) {
        expect(rendered).toContain(s.title);
        expect(rendered).toContain(`role: ${s.role}`);
        for (const line of s.action.lines) expect(rendered).toContain(line);
        for (const source of s.sources) expect(rendered).toContain(source.url);
      }
    }
    for (const s of stepsOf(book).filter((x) => x.skipped)) expect(text).toContain(`${s.title}: not needed here (only where ${s.skipped})`);
  });

  test("the way back is the stage table's, with what it loses", () => {
    const book = books[stage];
    const back = stageOf(stage).back;
    if (!back) {
      expect(book.back).toBeUndefined();
      return;
    }
    expect(book.back).toMatchObject({ does: back.does, loses: back.loses });
    expect(renderText(book)).toContain(`What is lost: ${back.loses}.`);
    expect(book.back!.edit.action.lines.join('\n')).toContain(`"stage": "${book.back!.to}"`);
  });
});

describe("the administrator's steps", () => {
  test('parallel: Staged Rollout is a delegated Graph session that creates the MFA policy and adds each migration group, by its SID', () => {
    const rollout = step(books.parallel, 'staged-rollout-on')!;
    const lines = rollout.action.lines.join('\n');
    expect(lines).toContain(`Connect-MgGraph -TenantId '${FIXTURE_TENANT}' -Scopes 'Policy.ReadWrite.HybridAuthentication', 'Group.Read.All'`);
    expect(lines).toContain("New-MgPolicyFeatureRolloutPolicy -DisplayName 'MFA rollout policy'");
    expect(lines).toContain("-Feature 'multiFactorAuthentication' -IsEnabled -IsAppliedToOrganization:$false");
    expect(lines).toContain(`foreach ($sid in @('${FIXTURE_GROUP_SID}'))`);
    expect(lines).toContain(
      'New-MgPolicyFeatureRolloutPolicyApplyToByRef -FeatureRolloutPolicyId $policy.Id -OdataId "https://graph.microsoft.com/v1.0/directoryObjects/$($group.Id)"',
    );
    expect(rollout.role).toMatch(/^Hybrid Identity Administrator/);
  });

  test('federatedIdpMfaBehavior: enforce before parallel, reject after entra, on the domains federated with this farm only', () => {
    const enforce = step(books.parallel, 'federation-enforce')!;
    const reject = step(books.entra, 'federation-reject')!;
    expect(books.parallel.before.map((s) => s.key)).toContain('federation-enforce');
    expect(books.entra.after.map((s) => s.key)).toContain('federation-reject');
    expect(enforce.action.lines.join('\n')).toContain("Where-Object PassiveSignInUri -like 'https://sts.contoso.com/*'");
    expect(enforce.action.lines.join('\n')).toContain("-FederatedIdpMfaBehavior 'enforceMfaByFederatedIdp'");
    expect(reject.action.lines.join('\n')).toContain("-FederatedIdpMfaBehavior 'rejectMfaByFederatedIdp'");
    expect(step(books.entra, 'federation-read-reject')!.action.lines.join('\n')).toContain('Get-MgDomainFederationConfiguration -DomainId $domain.Id');
  });

  test('entra -> parallel: an administrator registers the MFA Server adapter again before the deploy, which refuses without it', () => {
    const back = books.entra.back!;
    expect(back.before.map((s) => s.key)).toEqual(['federation-enforce-again', 'adapter-register-again']);
    const register = back.before[1];
    expect(register.action.lines.join('\n')).toContain('.\\Register-MultiFactorAuthenticationAdfsAdapter.ps1');
    expect(register.role).toBe('local Administrator of the AD FS servers');
    expect(register.where).toContain('adfs-1 (');
    expect(renderMarkdown(books.entra)).toContain('Register the MFA Server adapter in AD FS again');
  });

  test("the last copy of PhoneFactor.pfdata comes before the deploy that stops the MFA servers' backups, on the master", () => {
    const backup = books.retiring.before.find((s) => s.key === 'final-pfdata-backup')!;
    expect(backup.where).toBe('mfa-1 (prod-mfa1)');
    expect(backup.action.lines[0]).toContain('\\Multi-Factor Authentication Server\\Data\\PhoneFactor.pfdata');
  });

  test("the NPS extension's installation is a step only where nps.extensionInstalled is false", () => {
    expect(step(books.parallel, 'nps-extension-install')!.skipped).toBe('nps.extensionInstalled is false');
    const stacks = stageStacksOf(
      'environments/prod.json',
      prodAtStage('parallel', (c) => (c.nps.extensionInstalled = false)),
      cachedSynth,
    );
    const notInstalled = runbookOf({ env: stacks.loaded.env, file: 'environments/prod.json', stack: stacks.stack, previousStack: stacks.previousStack });
    const install = step(notInstalled, 'nps-extension-install')!;
    expect(install.skipped).toBeUndefined();
    expect(install.where).toBe('nps-1 (prod-nps1), nps-2 (prod-nps2)');
    expect(install.action.lines).toContain('.\\NpsExtnForAzureMfaInstaller.exe');
  });

  test('RADIUS clients move to the NPS address, read from the synthesized stack, before decommissioning', () => {
    const repoint = step(books.retiring, 'radius-repoint')!;
    expect(repoint.action.lines[0]).toBe('RADIUS server: 10.30.1.126 (output nps_frontend_ip), UDP 1812/1813, timeout at least 60 seconds');
    // at decommissioned RADIUS is off on the mfaapp side (the config refuses otherwise): nothing left to repoint
    expect(RUNBOOK.decommissioned.after).not.toContain('radius-repoint');
  });

  test("the checks read state: the audit log by the Migration Utility's actor, the Staged Rollout policy, the mfaapp RADIUS rules, the stage output", () => {
    expect(step(books.parallel, 'users-migrated')!.action.lines.join('\n')).toContain(
      `Get-MgAuditLogDirectoryAudit -All -Filter "initiatedBy/app/displayName eq 'Azure MFA Management'"`,
    );
    expect(step(books.parallel, 'staged-rollout-read')!.action.lines.join('\n')).toContain(
      "Get-MgPolicyFeatureRolloutPolicy -All -ExpandProperty appliesTo -Headers @{ Prefer = 'include-unknown-enum-members' }",
    );
    const rules = step(books.entra, 'mfaapp-radius-to-nps')!;
    expect(rules.action.lines[0]).toContain('az network lb rule list --resource-group rg-mfaha-prod --lb-name lbi-mfaha-prod-mfaapp');
    expect(rules.expect).toBe('radius-auth (udp/1812) → …/backendAddressPools/nps-servers; radius-accounting (udp/1813) → …/backendAddressPools/nps-servers');
    expect(step(books.parallel, 'stage-output')).toMatchObject({
      action: { lines: ['terraform -chdir=cdktf.out/stacks/prod output -raw migration_stage'] },
      expect: 'parallel',
    });
    expect(step(books['mfa-server'], 'stage-output')!.expect).toMatch(/^no output migration_stage/);
  });
});

describe('what cdktf deploy does, read from the synthesized stacks', () => {
  test('parallel only adds, the NPS servers among it; decommissioned destroys the MFA and portal servers and removes their scripts', () => {
    // The file before the move is this one at mfa-server, tenant included: there the AD FS policy Run Command is the
    // undo of parallel (a step back keeps the tenant, constructs/entra-mfa-on-adfs.ts), updated in place by the move.
    // A file that named no tenant before (the first move) only adds.
    expect(books.parallel.deploy.counts).toMatchObject({ update: 1, replace: 0, destroy: 0 });
    expect(books.parallel.deploy.scripts.filter((s) => s.status === 'changed').map((s) => `${s.script} ${s.server}`)).toEqual(['entra-mfa-policy adfs-1']);
    expect(books.parallel.deploy.parts.find((p) => p.part === 'nps')?.types).toContain('windows_virtual_machine');
    const gone = books.decommissioned.deploy.standouts.filter((s) => s.startsWith('destroy azurerm_windows_virtual_machine.'));
    expect(gone.map((s) => s.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'destroy azurerm_windows_virtual_machine.mfa_servers_mfa-1',
      'destroy azurerm_windows_virtual_machine.mfa_servers_mfa-2',
      'destroy azurerm_windows_virtual_machine.mfa_servers_mfa-3',
      'destroy azurerm_windows_virtual_machine.portal_servers_portal-1',
      'destroy azurerm_windows_virtual_machine.portal_servers_portal-2',
    ]);
    // Each MFA and portal server's scripts: its HTTPS binding, the task that watches the certificate IIS serves, its
    // hardening with the restart check, and Windows LAPS.
    const scripts = ['bind-https', 'certificate-renewal-task', 'hardening-restart-check', 'server-hardening', 'windows-laps'];
    expect(books.decommissioned.deploy.removedScripts.map((s) => `${s.script} ${s.server}`).sort()).toEqual(
      ['mfa-1', 'mfa-2', 'mfa-3', 'portal-1', 'portal-2'].flatMap((server) => scripts.map((script) => `${script} ${server}`)).sort(),
    );
    expect(books['mfa-server'].deploy.counts).toBeUndefined();
  });

  test('each Run Command comes in a later wave than every Run Command it depends on', () => {
    const tf = synthObject(prodAtStage('parallel'));
    const scripts = books.parallel.deploy.scripts;
    const wave = new Map(scripts.map((s) => [s.address, s.wave]));
    expect(scripts.length).toBe(Object.keys(tf.resource.azurerm_virtual_machine_run_command).length);
    for (const [key, body] of Object.entries<any>(tf.resource.azurerm_virtual_machine_run_command)) {
      const address = `azurerm_virtual_machine_run_command.${key}`;
      for (const dep of (body.depends_on ?? []).filter((d: string) => d.startsWith('azurerm_virtual_machine_run_command.'))) {
        expect([address, wave.get(address)! > wave.get(dep)!]).toEqual([address, true]);
      }
    }
    // the farm is created on adfs-1 before anything joins it
    expect(scripts[0]).toMatchObject({ script: 'adfs-farm', server: 'adfs-1', wave: 1 });
  });
});

describe('the previous stage of an environment file', () => {
  test('moved back to mfa-server, the file loses the NPS tier and its subnet, and validates', () => {
    const moved = inputAtStage(prodAtStage('parallel'), 'mfa-server');
    expect(moved.nps).toBeUndefined();
    expect((moved.network as any).subnets.nps).toBeUndefined();
    expect(validate(moved).migration?.stage).toBe('mfa-server');
    // the stage in between keeps them
    expect(inputAtStage(prodAtStage('retiring'), 'entra').nps).toBeDefined();
  });
});

describe('docs/migration.md', () => {
  test('is the runbook of prod at each stage (npm run docs:readme)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'docs', 'migration.md'), 'utf8');
    expect(committed).toBe(migrationGuide(STAGE_NAMES.map((s) => books[s])));
  });
});
