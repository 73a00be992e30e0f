import * as fs from 'fs';
import * as path from 'path';
import { availabilityDoc } from '../../tools/failures/guide';
import type { StackJson } from '../../tools/terraform-json';
import { ROOT, synthObject, variant } from '../helpers';

describe('docs/availability.md', () => {
  test('is the failure model of the synthesized prod, and of prod with chaos.enabled for the experiments (npm run docs:readme)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'docs', 'availability.md'), 'utf8');
    const prod = synthObject(variant('prod')) as unknown as StackJson;
    const withChaos = synthObject(variant('prod', (c) => (c.chaos = { enabled: true }))) as unknown as StackJson;
    expect(committed).toBe(availabilityDoc(prod, withChaos));
  });
});
