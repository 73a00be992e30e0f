import * as ts from 'typescript';

/** One module specifier that was rewritten. */
export interface SpecifierRewrite {
  readonly from: string;
  readonly to: string;
  /** 1-based line of the specifier. */
  readonly line: number;
}

/** The rewritten source and what changed in it. */
export interface RewriteResult {
  readonly text: string;
  readonly rewrites: readonly SpecifierRewrite[];
}

// Calls whose first argument names a module: require('x'), require.resolve('x'), import('x'), jest.mock('x'), ….
const MODULE_CALLS = new Set([
  'require',
  'require.resolve',
  'jest.mock',
  'jest.doMock',
  'jest.unmock',
  'jest.dontMock',
  'jest.requireActual',
  'jest.requireMock',
  'jest.createMockFromModule',
  'jest.setMock',
]);

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) return `${expression.expression.text}.${expression.name.text}`;
  return undefined;
}

/** The string literal that names a module in `node`, if `node` is an import, export, require, mock or `declare module`. */
function specifierOf(node: ts.Node): ts.StringLiteralLike | undefined {
  const literal = (e: ts.Node | undefined) => (e && ts.isStringLiteralLike(e) ? e : undefined);
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return literal(node.moduleSpecifier);
  if (ts.isExternalModuleReference(node)) return literal(node.expression);
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) return literal(node.argument.literal);
  if (ts.isModuleDeclaration(node)) return literal(node.name);
  if (ts.isCallExpression(node) && node.arguments.length > 0) {
    const dynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const name = calleeName(node.expression);
    if (dynamicImport || (name && MODULE_CALLS.has(name))) return literal(node.arguments[0]);
  }
  return undefined;
}

const scriptKind = (fileName: string): ts.ScriptKind =>
  /\.[cm]?tsx?$/.test(fileName)
    ? fileName.endsWith('x')
      ? ts.ScriptKind.TSX
      : ts.ScriptKind.TS
    : fileName.endsWith('x')
      ? ts.ScriptKind.JSX
      : ts.ScriptKind.JS;

/**
 * Rewrites the module specifiers of a TypeScript or JavaScript source: import and export declarations,
 * `import x = require()`, `import('…')` (expressions and types), `require`, `require.resolve`, jest's module
 * mocks and `declare module '…'`. `rename` returns the new specifier, or undefined to keep it. Strings that
 * are not module specifiers (`'cdktf.out'`, a command line, a comment) are never touched, and the quotes of
 * each specifier are kept.
 */
export function rewriteModuleSpecifiers(fileName: string, text: string, rename: (specifier: string) => string | undefined): RewriteResult {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const found: { start: number; end: number; rewrite: SpecifierRewrite }[] = [];
  const visit = (node: ts.Node): void => {
    const literal = specifierOf(node);
    const to = literal ? rename(literal.text) : undefined;
    if (literal && to !== undefined && to !== literal.text) {
      // getStart() skips leading trivia; the literal's text sits between its quotes.
      const start = literal.getStart(source) + 1;
      found.push({ start, end: literal.getEnd() - 1, rewrite: { from: literal.text, to, line: source.getLineAndCharacterOfPosition(start).line + 1 } });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = text;
  for (const f of [...found].sort((a, b) => b.start - a.start)) out = out.slice(0, f.start) + f.rewrite.to + out.slice(f.end);
  return { text: out, rewrites: found.map((f) => f.rewrite) };
}

/** Source files whose module specifiers can be rewritten. */
export const isScriptFile = (file: string): boolean => /\.(?:[cm]?[jt]sx?)$/.test(file);
