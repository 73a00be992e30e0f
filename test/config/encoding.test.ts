import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironments } from '../../config/load';
import { variant } from '../helpers';

/** The shipped dev file as an editor might save it. */
const devText = (eol: '\n' | '\r\n' = '\n') => JSON.stringify(variant('dev'), null, 2).replace(/\n/g, eol);

const utf16le = (text: string) => Buffer.from(text, 'utf16le');
const utf16be = (text: string) => Buffer.from(utf16le(text)).swap16();
const bom = (bytes: number[], body: Buffer) => Buffer.concat([Buffer.from(bytes), body]);

describe('environment files as editors write them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-encoding-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (bytes: Buffer) => {
    const file = path.join(dir, 'dev.json');
    fs.writeFileSync(file, bytes);
    return () => loadEnvironments(file);
  };

  test.each([
    ['UTF-8 with LF', Buffer.from(devText())],
    ['UTF-8 with CRLF (Windows editors)', Buffer.from(devText('\r\n'))],
    ['UTF-8 with a byte-order mark (Notepad, PowerShell 5 Out-File -Encoding utf8)', bom([0xef, 0xbb, 0xbf], Buffer.from(devText('\r\n')))],
    ['UTF-8 with non-ASCII tag values', Buffer.from(JSON.stringify(variant('dev', (c) => (c.tags.propriétaire = 'Zoë Ångström'))))],
  ])('accepts %s', (_, bytes) => {
    expect(load(bytes)()[0].env.name).toBe('dev');
  });

  test.each([
    ['UTF-16LE with a byte-order mark (PowerShell 5 ">")', bom([0xff, 0xfe], utf16le(devText())), 'UTF-16LE text (byte-order mark FF FE)'],
    ['UTF-16BE with a byte-order mark', bom([0xfe, 0xff], utf16be(devText())), 'UTF-16BE text (byte-order mark FE FF)'],
    ['UTF-16LE without a byte-order mark', utf16le(devText()), 'UTF-16LE text without a byte-order mark'],
    ['UTF-16BE without a byte-order mark', utf16be(devText()), 'UTF-16BE text without a byte-order mark'],
    ['UTF-32LE with a byte-order mark', bom([0xff, 0xfe, 0, 0], Buffer.from('{}')), 'UTF-32LE text (byte-order mark FF FE 00 00)'],
  ])('refuses %s with one line saying to save as UTF-8', (_, bytes, found) => {
    const file = path.join(dir, 'dev.json');
    expect(load(bytes)).toThrow(`${file}: (top level) must be saved as UTF-8 (with or without a byte-order mark), got "${found}"`);
    try {
      load(bytes)();
    } catch (e) {
      expect((e as Error).message).not.toMatch(/[\r\n]/);
    }
  });

  test('refuses Windows-1252 text, naming the first byte that is not UTF-8 and where it is', () => {
    // GIVEN a file whose "é" was saved as the single Windows-1252 byte 0xE9
    const text = devText().replace('"dev.contoso.com"', '"d\u00e9v.contoso.com"');
    const at = text.indexOf('\u00e9');
    const line = text.slice(0, at).split('\n').length;
    const column = at - text.lastIndexOf('\n', at);
    // THEN the one line says where
    expect(load(Buffer.from(text, 'latin1'))).toThrow(
      `${path.join(dir, 'dev.json')}: (top level) must be saved as UTF-8 (with or without a byte-order mark): byte 0xE9 at line ${line}, column ${column} is not UTF-8, got "text in another encoding"`,
    );
  });
});
