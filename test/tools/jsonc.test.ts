import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readJsonc } from '../../tools/jsonc';
import { ROOT } from '../helpers';

describe('reading a JSON-with-comments file (tsconfig.json)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-jsonc-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads comments and trailing commas as TypeScript does, and the project tsconfig.json as it is', () => {
    const file = path.join(dir, 'tsconfig.json');
    fs.writeFileSync(file, '{\n  // strict everywhere\n  "compilerOptions": { "strict": true, /* for now */ },\n  "include": ["a.ts",],\n}\n');
    expect(readJsonc(file)).toEqual({ compilerOptions: { strict: true }, include: ['a.ts'] });
    expect((readJsonc(path.join(ROOT, 'tsconfig.json')) as any).compilerOptions.strict).toBe(true);
  });

  test('names the file, line and column of a syntax error', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{\n  "a": 1\n  "b": 2\n}\n');
    expect(() => readJsonc(file)).toThrow(`${file}: CommaExpected at line 3, column 3`);
  });
});
