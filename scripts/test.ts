/**
 * `npm test`: the type-check, the PowerShell tests and jest, started together. Each of the three is mostly one
 * busy process, so together they keep both cores of a small machine at work where one after the other left one
 * idle. jest's output streams as it comes; the type-check's and the PowerShell tests' are printed whole when
 * they end. Arguments go to jest (`npm test -- test/stack.test.ts`). It ends with one line per part and exits
 * non-zero when any part failed: every part runs to its end, so one run shows every failure.
 *
 * Exit codes: 0 every part passed; 1 a part failed; 3 PowerShell or Pester could not be installed (and
 * nothing else failed), as `npm run test:ps` reports it.
 */
import { spawn } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
/** Progress lines of scripts/pwsh-tools.ts that are printed at once: the installs that take a while. */
const INSTALL_PROGRESS = /^\[pwsh-tools\] installing /;

interface Part {
  readonly name: string;
  /** The package.json script that runs it. */
  readonly script: string;
  /** Streams its output as it comes (one part only); the others are printed whole when they end. */
  readonly live?: boolean;
}

const parts: Part[] = [
  { name: 'type-check', script: 'typecheck' },
  { name: 'PowerShell', script: 'test:ps' },
  { name: 'jest', script: 'test:unit', live: true },
];

/** npm itself, as it runs this script (npm_execpath), so that it also works where npm is a .cmd file. */
function npm(script: string, args: string[]): string[] {
  const npmCli = process.env.npm_execpath;
  if (!npmCli) throw new Error('run this through npm: npm test');
  return [npmCli, 'run', '--silent', script, ...(args.length > 0 ? ['--', ...args] : [])];
}

function run(part: Part): Promise<{ part: Part; code: number; seconds: number }> {
  const started = Date.now();
  const args = npm(part.script, part.live ? [...(process.stdout.isTTY ? ['--colors'] : []), ...process.argv.slice(2)] : []);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', part.live ? 'inherit' : 'pipe', part.live ? 'inherit' : 'pipe'] });
  const output: Buffer[] = [];
  // A one-time install (PowerShell and Pester into .tools/, a minute or two) is said as it starts, not when the part ends.
  let pending = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (INSTALL_PROGRESS.test(line)) process.stderr.write(`${line}\n`);
      else output.push(Buffer.from(`${line}\n`));
    }
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      if (!part.live) process.stderr.write(`\n--- ${part.name} (${seconds.toFixed(1)} s) ---\n${Buffer.concat(output).toString()}${pending}`);
      resolve({ part, code: code ?? (signal ? 1 : 0), seconds });
    });
  });
}

async function main(): Promise<void> {
  const results = await Promise.all(parts.map(run));
  process.stderr.write('\n');
  for (const { part, code, seconds } of results)
    process.stderr.write(`npm test: ${part.name} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s\n`);
  const codes = results.map((r) => r.code);
  process.exitCode = codes.every((c) => c === 0) ? 0 : codes.every((c) => c === 0 || c === 3) ? 3 : 1;
}

void main();
