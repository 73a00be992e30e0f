import { ConfigError } from './errors';

/*
 * Environment files as editors save them. UTF-8, with or without the byte-order mark that Windows Notepad
 * and PowerShell 5's Out-File write, and LF or CRLF line ends are accepted (JSON treats CR as white space).
 * Anything else, UTF-16 and UTF-32 above all (PowerShell 5's `>` writes UTF-16LE with a byte-order mark),
 * gets one line that says to save the file as UTF-8.
 */

const SAVE_AS = 'must be saved as UTF-8 (with or without a byte-order mark)';

const BOMS: readonly { readonly bytes: readonly number[]; readonly encoding: string }[] = [
  // UTF-32LE starts like UTF-16LE: test the longer marks first.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32LE' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32BE' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16LE' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16BE' },
];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

/** Guesses UTF-16 without a byte-order mark from where the zero bytes of ASCII text fall. */
function utf16WithoutBom(bytes: Uint8Array): string | undefined {
  const sample = bytes.subarray(0, 512);
  let even = 0;
  let odd = 0;
  sample.forEach((b, i) => {
    if (b !== 0) return;
    if (i % 2 === 0) even++;
    else odd++;
  });
  if (odd > sample.length / 4 && even === 0) return 'UTF-16LE text without a byte-order mark';
  if (even > sample.length / 4 && odd === 0) return 'UTF-16BE text without a byte-order mark';
  return undefined;
}

/** Line and column (1-based) of a byte offset, counting the UTF-8 text before it. */
function whereIs(bytes: Uint8Array, offset: number): string {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return `line ${line}, column ${column}`;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += length;
  }
  // Well-formed sequences the decoder still refuses (overlong forms, surrogates): name the start.
  return 0;
}

/**
 * The text of an environment file's bytes: UTF-8, a leading byte-order mark removed. Throws a ConfigError
 * naming the encoding found for anything else.
 */
export function decodeEnvironmentFile(file: string, bytes: Uint8Array): string {
  const bom = BOMS.find((b) => startsWith(bytes, b.bytes));
  if (bom)
    throw new ConfigError(
      file,
      '',
      SAVE_AS,
      `${bom.encoding} text (byte-order mark ${bom.bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')})`,
    );
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes;
  const utf16 = utf16WithoutBom(body);
  if (utf16) throw new ConfigError(file, '', SAVE_AS, utf16);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const at = firstInvalidUtf8(body);
    const byte = `0x${body[at].toString(16).toUpperCase().padStart(2, '0')}`;
    throw new ConfigError(file, '', `${SAVE_AS}: byte ${byte} at ${whereIs(body, at)} is not UTF-8`, 'text in another encoding');
  }
}
