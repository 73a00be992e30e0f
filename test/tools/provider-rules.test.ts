import { checkTerraform, formatFinding, isGenericResourceId, judge, matchesResourceIdFormat } from '../../tools/provider-rules';
import { ProviderRules, Rule, TypeSchema } from '../../tools/provider-rules-data';

/** A string attribute with `rules`. */
const str = (rules: Rule[], extra: Partial<TypeSchema[string]> = {}): TypeSchema[string] => ({
  type: 'string',
  required: false,
  optional: true,
  computed: false,
  rules,
  ...extra,
});
/** A provider with one resource type `t_x` of the given schema. */
const provider = (schema: TypeSchema): ProviderRules[] => [{ provider: 'p', version: '1.0.0', resources: { t_x: schema } }];
/** The refusals of one `t_x.a` block. */
const refusals = (schema: TypeSchema, body: Record<string, unknown>) =>
  checkTerraform({ resource: { t_x: { a: body } } }, provider(schema)).refusals.map(formatFinding);

describe('value rules, each kind on both sides', () => {
  test.each<[string, Rule, unknown, unknown]>([
    ['length counts bytes', { kind: 'length', min: 1, max: 4 }, 'abcd', 'abcé'],
    ['length has a floor', { kind: 'length', min: 1 }, 'a', ''],
    ['enum is case-sensitive', { kind: 'enum', values: ['dateTime'], ignoreCase: false }, 'dateTime', 'datetime'],
    ['enum ignoreCase accepts any case', { kind: 'enum', values: ['Daily'], ignoreCase: true }, 'daily', 'weekly'],
    ['enum of numbers', { kind: 'enum', values: [4, 6] }, 6, 5],
    ['regex must match', { kind: 'regex', pattern: '^[a-z]+$' }, 'abc', 'ab1'],
    ['regex without anchors matches anywhere', { kind: 'regex', pattern: '_CL$' }, 'Table_CL', 'Table'],
    ['regex negate must not match', { kind: 'regex', pattern: '\\.$', negate: true }, 'rg', 'rg.'],
    ['range is inclusive', { kind: 'range', min: 1, max: 100 }, 100, 101],
    [
      'resourceId: fixed segments case-sensitive',
      { kind: 'resourceId', format: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}' },
      '/subscriptions/1/resourceGroups/rg',
      '/subscriptions/1/resourcegroups/rg',
    ],
    ['anyOf passes when one alternative does', { kind: 'anyOf', of: [[{ kind: 'range', min: 4, max: 730 }], [{ kind: 'enum', values: [1095] }]] }, 1095, 800],
    ['prose: tags', { kind: 'text', text: 'at most 2 entries; key length <= 3; value length <= 2' }, { a: 'xx' }, { abcd: 'x' }],
    [
      'prose: generic resource ID',
      { kind: 'text', text: 'generic Azure resource ID: even number of non-empty path parts, must contain subscriptions/{id}' },
      '/subscriptions/1/resourceGroups/rg',
      '/subscriptions/1/resourceGroups',
    ],
    ['prose: URL scheme', { kind: 'text', text: 'URL with scheme https and a host' }, 'https://x.example', 'http://x.example'],
    ['prose: not one of', { kind: 'text', text: 'not one of (case-sensitive): admin, root' }, 'azureadmin', 'admin'],
  ])('%s', (_, rule, good, bad) => {
    expect(judge(rule, good)).toBe('pass');
    expect(judge(rule, bad)).toBe('fail');
  });

  test('a regex with appliesWhen only judges values of that length', () => {
    const rule: Rule = { kind: 'regex', pattern: '^[a-z][a-z]+$', appliesWhen: 'length != 1' };
    expect(judge(rule, '1')).toBe('pass');
    expect(judge(rule, '12')).toBe('fail');
  });

  test('a reference is never judged', () => {
    expect(judge({ kind: 'length', max: 1 }, '${azurerm_x.y.name}')).toBe('pass');
  });

  test('plan- or apply-time notes and unknown prose stay unjudged, and an anyOf that rests on them too', () => {
    expect(judge({ kind: 'text', text: 'must be Static when sku is Standard', when: 'apply' }, 'Dynamic')).toBe('unjudged');
    expect(judge({ kind: 'anyOf', of: [[{ kind: 'length', max: 0 }], [{ kind: 'text', text: 'something new' }]] }, 'x')).toBe('unjudged');
  });

  test('resource IDs: the generic form and exact formats', () => {
    expect(isGenericResourceId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm')).toBe(true);
    expect(isGenericResourceId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines')).toBe(false);
    expect(isGenericResourceId('/tenants/t/resourceGroups/rg')).toBe(false);
    expect(isGenericResourceId('/subscriptions//resourceGroups/rg')).toBe(false);
    expect(matchesResourceIdFormat('/subscriptions/s/resourceGroups/rg/extra/x', '/subscriptions/{s}/resourceGroups/{rg}')).toBe(false);
    expect(matchesResourceIdFormat('/subscriptions//resourceGroups/rg', '/subscriptions/{s}/resourceGroups/{rg}')).toBe(false);
  });
});

describe('blocks and cross-attribute rules', () => {
  const schema: TypeSchema = {
    name: str([{ kind: 'length', max: 5 }], { required: true, optional: false }),
    a: str([
      { kind: 'conflicts', with: ['b'] },
      { kind: 'exactlyOneOf', of: ['a', 'b'] },
    ]),
    b: str([{ kind: 'exactlyOneOf', of: ['a', 'b'] }]),
    c: str([{ kind: 'requiredWith', with: ['name', 'blk.0.inner'] }]),
    d: str([{ kind: 'atLeastOneOf', of: ['d', 'e'] }]),
    e: str([]),
    id: { ...str([]), optional: false, computed: true },
    tags: { type: 'map(string)', required: false, optional: true, computed: false, rules: [{ kind: 'length', max: 2, element: true }] },
    list: { type: 'list(string)', required: false, optional: true, computed: false, rules: [{ kind: 'enum', values: ['x'], element: true }] },
    blk: { type: 'block (list)', required: false, optional: true, computed: false, minItems: 1, maxItems: 1, rules: [] },
    'blk.inner': str([{ kind: 'enum', values: ['ok'] }], { required: true, optional: false }),
  };

  test('a block that satisfies everything passes', () => {
    expect(refusals(schema, { name: 'n', a: 'x', d: 'y', c: 'z', blk: [{ inner: 'ok' }], tags: { k: 'vv' }, list: ['x'] })).toEqual([]);
  });

  test('each mistake is one finding with the address, the attribute path and the rule', () => {
    expect(
      refusals(schema, {
        a: 'x',
        b: 'y',
        c: 'z',
        e: 'e',
        id: 'i',
        list: ['x', 'y'],
        tags: { k: 'vvv' },
        blk: [{ inner: 'no' }, {}],
        extra: 1,
        lifecycle: { prevent_destroy: true },
      }),
    ).toEqual([
      't_x.a id: read-only (computed) attribute, got "i"',
      't_x.a list[1]: each element: one of (case-sensitive) x, got "y"',
      't_x.a tags: each element: length 0..2 bytes, got "vvv"',
      't_x.a blk: at most 1 block(s), got 2',
      't_x.a blk[0].inner: one of (case-sensitive) ok, got "no"',
      't_x.a blk[1].inner: required',
      't_x.a extra: not an argument of this resource type in the rules, got 1',
      't_x.a name: required',
      't_x.a a: conflicts with b, got "also set: b"',
      't_x.a a: exactly one of a, b, got "2 set"',
      't_x.a c: requires also set name, blk.0.inner, got "missing: name"',
    ]);
  });

  test('exactlyOneOf and atLeastOneOf hold when nothing is set; a reference counts as set but never conflicts', () => {
    expect(refusals(schema, { name: 'n', blk: { inner: 'ok' } })).toEqual([
      't_x.a a: exactly one of a, b, got "0 set"',
      't_x.a d: at least one of d, e, got "0 set"',
    ]);
    expect(refusals(schema, { name: 'n', a: '${x.y.z}', b: 'y', e: 'e', blk: { inner: 'ok' } })).toEqual(['t_x.a a: exactly one of a, b, got "2 set"']);
  });

  test('lists and sets keep their item counts', () => {
    const counted: TypeSchema = { values: { type: 'list(string)', required: false, optional: true, computed: false, minItems: 1, maxItems: 2, rules: [] } };
    expect(refusals(counted, { values: ['a', 'b', 'c'] })).toEqual(['t_x.a values: at most 2 item(s), got 3']);
    expect(refusals(counted, { values: [] })).toEqual(['t_x.a values: at least 1 item(s), got 0']);
    expect(refusals(counted, { values: ['a'] })).toEqual([]);
  });

  test('values of the wrong type are refused', () => {
    const typed: TypeSchema = {
      n: { type: 'int', required: false, optional: true, computed: false, rules: [] },
      f: { type: 'bool', required: false, optional: true, computed: false, rules: [] },
    };
    expect(refusals(typed, { n: 1.5, f: 'yes' })).toEqual(['t_x.a n: of type int, got 1.5', 't_x.a f: of type bool, got "yes"']);
    expect(refusals(typed, { n: '3', f: 'true' })).toEqual([]);
  });

  test('a type missing from the rules is refused by name unless it is listed as not covered, with why', () => {
    const doc = { resource: { t_y: { a: {} } }, data: { t_x: { b: {} } } };
    expect(checkTerraform(doc, provider({})).refusals.map(formatFinding)).toEqual([
      't_y.a: resource type t_y is not in the rules (p 1.0.0)',
      'data.t_x.b: resource type t_x is not in the rules (p 1.0.0)',
    ]);
    const report = checkTerraform(doc, [{ ...provider({})[0], data: { t_x: {} } }], { t_y: 'another provider' });
    expect([report.refusals, report.notCovered]).toEqual([[], [{ address: 't_y.a', why: 'another provider' }]]);
  });
});
