import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NamedSchema } from '../events/codec';

/** schemas/ at the package root, next to dist/ and src/. */
export const DEFAULT_SCHEMA_DIR = resolve(__dirname, '..', '..', 'schemas');

export function loadSchemaFiles(dir: string = DEFAULT_SCHEMA_DIR): NamedSchema[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.avsc'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      try {
        return { name: f.slice(0, -'.avsc'.length), schema: JSON.parse(text) as unknown };
      } catch (err) {
        throw new Error(`${join(dir, f)} is not valid JSON: ${(err as Error).message}`);
      }
    });
}
