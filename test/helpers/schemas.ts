import { buildCodecs, type Codecs } from '../../src/events/codecs';
import type { SchemaRegistry } from '../../src/events/registry';
import { loadSchemaFiles } from '../../src/io/schema-files';

export function projectCodecs(registry?: SchemaRegistry): Codecs {
  return buildCodecs(loadSchemaFiles(), registry);
}
