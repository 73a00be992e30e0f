import * as fs from 'fs';
import * as path from 'path';
import { environmentSchemaJson } from '../config/json-schema';

// Writes environments/environment.schema.json; a test fails when the committed file is stale.
const file = path.join(__dirname, '..', 'environments', 'environment.schema.json');
fs.writeFileSync(file, environmentSchemaJson());
process.stderr.write(`[schema] wrote ${path.relative(process.cwd(), file)}\n`);
