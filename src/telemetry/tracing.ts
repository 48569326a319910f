import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/**
 * Spans through the OpenTelemetry API only: without an SDK registered they are
 * no-ops, and an operator who installs one gets batch spans for free.
 */
const tracer = trace.getTracer('abuse-detector');

export async function inSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}
