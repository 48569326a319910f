import type { RunConfig } from '../config/run-config';
import { buildCodecs, type Codecs } from '../events/codecs';
import { loadSchemaFiles } from '../io/schema-files';
import { confluentRegistry } from '../registry/confluent-registry';

/**
 * Codecs for the configured framings; with a registry, the violation schema is
 * registered under `<topic>-value` (Confluent's subject naming) so violations
 * can be written in Confluent framing.
 */
export async function codecsFor(config: RunConfig): Promise<Codecs> {
  const registry = config.schemaRegistryUrl !== undefined ? confluentRegistry(config.schemaRegistryUrl) : undefined;
  const codecs = buildCodecs(loadSchemaFiles(), registry);
  if (config.framing[config.topics.violations] === 'confluent') await codecs.violation.registerAs(`${config.topics.violations}-value`);
  return codecs;
}
