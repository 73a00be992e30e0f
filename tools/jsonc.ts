import * as fs from 'fs';
import { parse, ParseError, printParseErrorCode } from 'jsonc-parser';

/**
 * Reads a JSON-with-comments file, as TypeScript reads tsconfig.json (comments and trailing commas allowed), with
 * jsonc-parser, the parser of VS Code's JSON support (docs/development.md). A syntax error throws one line naming
 * the file, the line and the column.
 */
export function readJsonc(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const [first] = errors;
    const before = text.slice(0, first.offset);
    const line = before.split('\n').length;
    const column = first.offset - before.lastIndexOf('\n');
    throw new Error(`${file}: ${printParseErrorCode(first.error)} at line ${line}, column ${column}`);
  }
  return value;
}
