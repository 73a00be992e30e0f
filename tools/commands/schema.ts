import type { Tool } from '../cli';

/** `mfa-ha schema`: writes environments/environment.schema.json from the zod schema; a test fails when it is stale. */
export const SCHEMA_TOOL: Tool = {
  name: 'schema',
  description: 'writes environments/environment.schema.json (the JSON Schema editors validate with) from the code',
  options: {},
  environments: 'none',
  run: async (_args, log) => {
    const [fs, path, { environmentSchemaJson }] = await Promise.all([import('fs'), import('path'), import('../../config/json-schema')]);
    const file = path.join(__dirname, '..', '..', 'environments', 'environment.schema.json');
    fs.writeFileSync(file, environmentSchemaJson());
    log(`wrote ${path.relative(process.cwd(), file)}`);
  },
};
