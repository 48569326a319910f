/**
 * Tumbling windows align to the epoch: start inclusive, end exclusive, as in
 * Kafka Streams and Flink, so every process and every replay agrees on the
 * boundaries.
 */
export function windowStart(eventTime: number, sizeMs: number): number {
  return eventTime - (((eventTime % sizeMs) + sizeMs) % sizeMs);
}

export interface WindowBounds {
  start: number;
  end: number;
}

export function windowOf(eventTime: number, sizeMs: number): WindowBounds {
  const start = windowStart(eventTime, sizeMs);
  return { start, end: start + sizeMs };
}
