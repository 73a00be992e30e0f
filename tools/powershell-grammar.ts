import * as fs from 'fs';
import { Language, Node, Parser } from 'web-tree-sitter';

/** Where a script does not parse. */
export interface SyntaxProblem {
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  /** `ERROR` (unparsable text) or `MISSING <token>` (a token the grammar expected). */
  readonly kind: string;
  /** The text at the problem, one line, at most 60 characters. */
  readonly text: string;
}

let parser: Promise<Parser> | undefined;

/** One parser for the process: tree-sitter's runtime and the PowerShell grammar, both WebAssembly. */
function powershellParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    // Read the grammar ourselves: loading by path takes a dynamic import, which jest's CommonJS runtime lacks.
    const language = await Language.load(fs.readFileSync(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')));
    const p = new Parser();
    p.setLanguage(language);
    return p;
  })();
  return parser;
}

/**
 * Parses PowerShell with the tree-sitter grammar and lists every syntax error. This is a grammar check,
 * not PowerShell itself: the grammar is tolerant, so a clean parse does not prove that PowerShell accepts a
 * script, but each problem found is a real syntax error (an unclosed block, a missing line continuation).
 */
export async function powershellSyntaxProblems(script: string): Promise<SyntaxProblem[]> {
  const tree = (await powershellParser()).parse(script);
  if (!tree) throw new Error('the PowerShell grammar returned no tree');
  const problems: SyntaxProblem[] = [];
  const visit = (node: Node) => {
    if (node.isError || node.isMissing) {
      problems.push({
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        kind: node.isMissing ? `MISSING ${node.type}` : 'ERROR',
        text: node.text.split('\n')[0].slice(0, 60),
      });
      return;
    }
    if (node.hasError) for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  tree.delete();
  return problems;
}
