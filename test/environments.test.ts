import { summarize } from './summary';
import { shippedInput, synthJson, synthObject } from './helpers';

describe.each(['dev', 'prod'] as const)('shipped environment %s', (name) => {
  test('synthesizes to the reviewed Terraform JSON', () => {
    expect(synthJson(shippedInput(name))).toMatchSnapshot();
  });

  test('summarizes to the reviewed resource list', () => {
    expect(summarize(synthObject(shippedInput(name)))).toMatchSnapshot();
  });

  test('holds no secret literal: every password or secret attribute is a reference', () => {
    const tf = synthObject(shippedInput(name));
    const sensitive = /password|secret|protected_settings|^value$/;
    const checked: string[] = [];
    for (const [type, byAddress] of Object.entries(tf.resource)) {
      for (const [address, body] of Object.entries(byAddress)) {
        for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
          if (!sensitive.test(key) || typeof value !== 'string') continue;
          checked.push(`${type}.${address}.${key}`);
          expect(value).toMatch(/^\$\{.*\}$/);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(10);
  });
});
