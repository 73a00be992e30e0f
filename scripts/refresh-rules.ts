/**
 * `npm run rules:refresh -- <file>`: renews the project's copy of the provider rules
 * (data/azurerm-4.55.0-validation.json) from a newer extraction of the provider's v4.55.0 source, after checking
 * that it is one.
 *
 * Exit codes: 0 refreshed or unchanged; 1 the file is missing or not a rules file of azurerm 4.55.0.
 */
import * as fs from 'fs';
import * as path from 'path';
import { providersOf, RULES_FILE, RulesFile } from '../tools/provider-rules-data';

const say = (line: string) => process.stdout.write(`[rules] ${line}\n`);
const SHARED = process.argv[2];

if (SHARED === undefined || !fs.existsSync(SHARED)) {
  say(
    `usage: npm run rules:refresh -- <azurerm-4.55.0-validation.json>${SHARED === undefined ? '' : ` (no file ${SHARED}; ${path.relative(process.cwd(), RULES_FILE)} is kept)`}`,
  );
  process.exit(1);
}
const text = fs.readFileSync(SHARED, 'utf8');
let parsed: RulesFile;
try {
  parsed = JSON.parse(text) as RulesFile;
} catch (e) {
  say(`${SHARED} is not JSON: ${(e as Error).message}`);
  process.exit(1);
}
if (parsed.provider !== 'azurerm' || parsed.version !== '4.55.0' || typeof parsed.resources !== 'object') {
  say(`${SHARED} is not the rules of azurerm 4.55.0 (provider ${String(parsed.provider)}, version ${String(parsed.version)})`);
  process.exit(1);
}
const before = fs.existsSync(RULES_FILE) ? fs.readFileSync(RULES_FILE, 'utf8') : undefined;
fs.writeFileSync(RULES_FILE, text);
const types = providersOf(parsed).reduce((n, p) => n + Object.keys(p.resources).length + Object.keys(p.data ?? {}).length, 0);
say(`${before === text ? 'unchanged' : 'refreshed'}: ${path.relative(process.cwd(), RULES_FILE)} (${types} resource and data-source types)`);
