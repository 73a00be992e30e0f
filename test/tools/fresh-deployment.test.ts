import * as fs from 'fs';
import * as path from 'path';
import { loadEnvironments } from '../../config/load';
import { firingOnFreshDeployment } from '../../tools/fresh-deployment';
import { newEnvironment } from '../../tools/new-environment';
import { ROOT, synthObject, variant, withoutFarm } from '../helpers';

/*
 * The alerts a new environment raises right after its first deployment, before anyone installs MFA Server: the
 * model (tools/fresh-deployment.ts) reads which probe each alert watches and which Run Command makes it answer.
 */

const dir = path.join(ROOT, 'environments');
const raw = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
/** A new environment as `npm run new-env -- fresh --from <from>` writes it, with monitoring on. */
const fresh = (from: 'dev' | 'prod', change: (c: any) => void = () => {}) => {
  const input = JSON.parse(newEnvironment('fresh', { dir, from, existing: loadEnvironments(dir, () => {}), raw }).text);
  input.monitoring ??= { enabled: true, receivers: { emails: ['oncall@example.org'] }, workspace: { retentionDays: 30 } };
  change(input);
  return synthObject(input);
};
const serious = (tf: ReturnType<typeof synthObject>) =>
  firingOnFreshDeployment(tf)
    .filter((a) => a.severity <= 1)
    .map((a) => `${a.name} (Sev ${a.severity}): ${a.why}`);

describe('the alerts of a fresh deployment, before any manual step', () => {
  test.each(['dev', 'prod'] as const)('a new environment made from %s (npm run new-env) raises no Sev 0 or Sev 1 alert', (from) => {
    expect(serious(fresh(from))).toEqual([]);
  });

  test('nor does one without certificates or the farm, whose probes answer only after the manual steps', () => {
    expect(
      serious(
        fresh('prod', (c) => {
          delete c.certificates;
          withoutFarm(c);
        }),
      ),
    ).toEqual([]);
  });

  test("the model sees what fires: with the manual steps said done, MFA Server's replication port has no one to answer it", () => {
    const firing = firingOnFreshDeployment(fresh('prod', (c) => (c.mfa.serverInstalled = true)));
    expect(firing.map((a) => [a.name, a.severity])).toEqual([['alert-mfaha-fresh-mfa-master-down', 0]]);
    expect(
      firingOnFreshDeployment(
        synthObject(
          variant('prod', (c) => {
            delete c.certificates;
            withoutFarm(c);
          }),
        ),
      )
        .map((a) => a.name)
        .sort(),
    ).toEqual(
      ['adfs-degraded', 'adfs-down', 'mfa-degraded', 'mfa-down', 'mfa-master-down', 'portal-degraded', 'portal-down', 'wap-degraded', 'wap-down'].map(
        (k) => `alert-mfaha-prod-${k}`,
      ),
    );
  });
});
