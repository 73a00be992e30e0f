import { jsonOfEntry, normalizeSnapshotText, PinChange, snapshotEntries, verifyNormalization } from '../../tools/snapshot-normalize';

const PINS: PinChange[] = [
  { provider: 'azurerm', before: '4.55.0', after: '4.73.0' },
  { provider: 'random', before: '3.7.2', after: '3.9.1' },
];

/** A jest snapshot file as CDKTF's Testing.synth writes it: a JSON entry (empty objects over two lines) and a plain one. */
const SNAPSHOT = `// Jest Snapshot v1, https://goo.gl/fbAQLP

exports[\`shipped environment dev summarizes to the reviewed resource list 1\`] = \`
"azurerm_lb.mfaapp: lb-mfaha-dev-mfaapp
azurerm_key_vault.kv: kv-mfaha-dev-01"
\`;

exports[\`shipped environment dev synthesizes to the reviewed Terraform JSON 1\`] = \`
"{
  "data": {
    "azurerm_client_config": {
      "client": {
      }
    }
  },
  "provider": {
    "random": [
      {
      }
    ]
  },
  "resource": {
    "azurerm_windows_virtual_machine": {
      "mfa-1": {
        "boot_diagnostics": {
        },
        "computer_name": "dev-mfa1",
        "zones": [
        ]
      }
    }
  },
  "terraform": {
    "required_providers": {
      "azurerm": {
        "source": "azurerm",
        "version": "4.55.0"
      },
      "random": {
        "source": "hashicorp/random",
        "version": "3.7.2"
      }
    }
  }
}"
\`;
`;

describe('normalizing a CDKTF snapshot for a CDK Terrain run', () => {
  const { text, edits } = normalizeSnapshotText(SNAPSHOT, PINS);

  test('moves the provider pins and prints empty objects and lists on one line, and says how often', () => {
    expect(edits).toEqual([
      { what: 'azurerm pin 4.55.0 → 4.73.0', count: 1 },
      { what: 'random pin 3.7.2 → 3.9.1', count: 1 },
      { what: 'empty {} / [] printed on one line', count: 4 },
    ]);
    expect(text).toContain('"client": {}');
    expect(text).toContain('"zones": []');
    expect(text).toMatch(/"azurerm": \{\s*"source": "azurerm",\s*"version": "4\.73\.0"/);
    expect(text).toMatch(/"random": \{\s*"source": "hashicorp\/random",\s*"version": "3\.9\.1"/);
  });

  test('changes the meaning of nothing but the pins (verified on the parsed JSON)', () => {
    expect(verifyNormalization(SNAPSHOT, text, PINS)).toEqual([]);
  });

  test('touches nothing when the pins do not move and the layout is already compact', () => {
    const compact = normalizeSnapshotText(SNAPSHOT, PINS).text;
    expect(normalizeSnapshotText(compact, [{ provider: 'azurerm', before: '4.73.0', after: '4.73.0' }])).toEqual({ text: compact, edits: [] });
  });

  test('moves only the named provider pin, not another value that happens to be equal', () => {
    const other = SNAPSHOT.replace('"computer_name": "dev-mfa1"', '"version": "4.55.0"');
    expect(normalizeSnapshotText(other, PINS).text).toContain('"version": "4.55.0"');
  });
});

describe('verifying a normalization', () => {
  test('reports a value changed beyond the declared pins', () => {
    const tampered = normalizeSnapshotText(SNAPSHOT, PINS).text.replace('"dev-mfa1"', '"dev-mfa9"');
    expect(verifyNormalization(SNAPSHOT, tampered, PINS)).toEqual([
      'shipped environment dev synthesizes to the reviewed Terraform JSON 1: resource.azurerm_windows_virtual_machine.mfa-1.computer_name changed from "dev-mfa1" to "dev-mfa9"',
    ]);
  });

  test('reports a pin moved to a version other than the declared one', () => {
    const wrong = SNAPSHOT.replace('"version": "4.55.0"', '"version": "4.60.0"');
    expect(verifyNormalization(SNAPSHOT, wrong, PINS)).toEqual([
      'shipped environment dev synthesizes to the reviewed Terraform JSON 1: terraform.required_providers.azurerm.version changed from "4.55.0" to "4.60.0"',
    ]);
  });

  test('reports a change to an entry that is not JSON', () => {
    const changed = SNAPSHOT.replace('lb-mfaha-dev-mfaapp', 'lb-other');
    expect(verifyNormalization(SNAPSHOT, changed, PINS)).toEqual([
      'shipped environment dev summarizes to the reviewed resource list 1: changed, but it is not a JSON document',
    ]);
  });
});

describe('reading a snapshot file', () => {
  test('gives every entry by name, and the JSON of a JSON entry', () => {
    const entries = snapshotEntries(SNAPSHOT);
    expect([...entries.keys()]).toEqual([
      'shipped environment dev summarizes to the reviewed resource list 1',
      'shipped environment dev synthesizes to the reviewed Terraform JSON 1',
    ]);
    expect(jsonOfEntry(entries.get('shipped environment dev summarizes to the reviewed resource list 1')!)).toBeUndefined();
    expect(
      (jsonOfEntry(entries.get('shipped environment dev synthesizes to the reviewed Terraform JSON 1')!) as any).terraform.required_providers.random.version,
    ).toBe('3.7.2');
  });
});
