/**
 * What the codec needs from a schema registry. The adapter in src/registry/
 * implements it with the ecosystem's Confluent client; the codec stays free
 * of HTTP.
 */
export interface SchemaRegistry {
  /** The writer schema (Avro JSON) registered under `schemaId`. Throws SchemaNotFoundError when the registry has none. */
  fetchSchema(schemaId: number): Promise<unknown>;
  /** Registers `schema` under `subject` (idempotent) and returns its id. */
  register(subject: string, schema: unknown): Promise<number>;
}

export class SchemaNotFoundError extends Error {
  constructor(readonly schemaId: number) {
    super(`schema id ${schemaId} is not in the registry`);
    this.name = 'SchemaNotFoundError';
  }
}
