import { STAGE_NAMES, stageOf } from '../constructs/migration-stages';
import { flowMatrix } from '../tools/flow-matrix';
import { networkModelOf } from '../tools/network-model';
import { namedGroupsOf } from '../tools/synthesized-stack';
import { prodAtStage } from './config/fixtures';
import { synthObject, validate } from './helpers';
import { summarize } from './summary';

/*
 * prod at each stage of the migration off MFA Server (constructs/migration-stages.ts): a reviewed resource list per
 * stage, as for the shipped environments (test/environments.test.ts; mfa-server is prod itself), and what each stage
 * leaves of the retired tiers in the network.
 */
describe.each(STAGE_NAMES.filter((s) => s !== 'mfa-server'))('prod at stage %s', (stage) => {
  const input = prodAtStage(stage);
  const tf = synthObject(input);

  test('summarizes to the reviewed resource list', () => {
    expect(summarize(tf)).toMatchSnapshot();
  });

  test('its servers, NSG rules and flows are those of the tiers the stage deploys', () => {
    const deployed = new Set(stageOf(stage).tiers);
    const tiers = new Set(Object.values<any>(tf.resource.azurerm_windows_virtual_machine).map((vm) => vm.tags.tier));
    expect([...tiers].sort()).toEqual([...deployed].sort());
    const matrix = flowMatrix(networkModelOf(tf), namedGroupsOf(validate(input)));
    const ends = new Set(matrix.cells.flatMap((c) => [c.source, c.destination]));
    for (const retired of ['mfa', 'portal', 'nps'].filter((t) => !deployed.has(t as never))) {
      expect(ends.has(retired)).toBe(false);
      expect(Object.values<any>(tf.resource.azurerm_network_security_group).map((n) => n.name)).not.toContainEqual(
        expect.stringMatching(new RegExp(`-${retired}$`)),
      );
    }
  });
});
