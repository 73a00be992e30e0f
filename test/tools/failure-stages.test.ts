import { STAGE_NAMES } from '../../constructs/migration-stages';
import { analyze } from '../../tools/failures/analysis';
import { noFailure } from '../../tools/failures/failures';
import { failureModelOf } from '../../tools/failures/model';
import type { StackJson } from '../../tools/terraform-json';
import { prodAtStage } from '../config/fixtures';
import { synthObject } from '../helpers';

/*
 * prod at each migration stage (its stage fixtures), with no failure: every sign-in journey reaches its second
 * factor, wherever the stage sends it (MFA Server through the Web Service SDK, or Microsoft Entra MFA).
 */
describe.each(STAGE_NAMES)('prod at stage %s, with no failure', (stage) => {
  const model = failureModelOf(synthObject(prodAtStage(stage)) as unknown as StackJson);
  const outcomes = analyze(model, noFailure());

  test('every sign-in from outside and every RADIUS address serves, to the second factor the stage uses', () => {
    const signIns = outcomes.filter((o) => o.spec.authentication && o.spec.key !== 'intranet-sign-in');
    expect(
      signIns.filter((o) => o.status !== 'serves').map((o) => `${o.title}: ${o.hops.map((h) => `${h.hop}${h.why ? ` (${h.why})` : ''}`).join(' > ')}`),
    ).toEqual([]);
    expect(signIns.length).toBeGreaterThanOrEqual(2);
  });
});
