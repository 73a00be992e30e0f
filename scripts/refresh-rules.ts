/**
 * `npm run rules:refresh`: renews the project's copy of the provider rules (data/azurerm-4.55.0-validation.json)
 * from ../shared, where the project's maintainers keep the file read from the provider's v4.55.0 source. A clone
 * without ../shared keeps its copy: the script says so and changes nothing.
 *
 * Exit codes: 0 refreshed or nothing to refresh; 1 the shared file is not a rules file of azurerm 4.55.0.
 */
import * as fs from 'fs';
import * as path from 'path';
import { providersOf, RULES_FILE, RulesFile } from '../tools/provider-rules-data';

const SHARED = path.resolve(__dirname, '..', '..', 'shared', path.basename(RULES_FILE));
const say = (line: string) => process.stdout.write(`[rules] ${line}\n`);

if (!fs.existsSync(SHARED)) {
  say(`no ${SHARED}: keeping ${path.relative(process.cwd(), RULES_FILE)}`);
  process.exit(0);
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
