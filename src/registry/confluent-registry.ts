import { SchemaRegistry as ConfluentClient, SchemaType } from '@kafkajs/confluent-schema-registry';
import { SchemaNotFoundError, type SchemaRegistry } from '../events/registry';

/**
 * The codec's SchemaRegistry, backed by the ecosystem's Confluent client
 * (@kafkajs/confluent-schema-registry), which caches by id. The codec parses
 * and resolves the writer schema itself, with its own avsc.
 */
function httpStatus(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number') return err.status;
  return undefined;
}

export function confluentRegistry(url: string): SchemaRegistry {
  const client = new ConfluentClient({ host: url, retry: { retries: 3 } });
  return {
    async fetchSchema(schemaId: number): Promise<unknown> {
      try {
        const schema = await client.getSchema(schemaId);
        if (!('schema' in schema) || typeof schema.schema !== 'function') throw new Error(`schema id ${schemaId} is not an Avro schema`);
        return (schema as { schema(): unknown }).schema();
      } catch (err) {
        if (httpStatus(err) === 404) throw new SchemaNotFoundError(schemaId);
        throw err;
      }
    },
    async register(subject: string, schema: unknown): Promise<number> {
      const { id } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
      return id;
    },
  };
}
