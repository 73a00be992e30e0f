import { z } from 'zod';
import { environmentSchema } from './schema';

/** The JSON Schema of environment files, generated from the same zod definition that validates them. */
export function environmentSchemaJson(): string {
  const schema = z.toJSONSchema(environmentSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'MFA Server HA environment' }, null, 2)}\n`;
}
