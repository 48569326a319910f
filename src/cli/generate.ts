import { NdjsonWriter } from '../io/ndjson';
import { demoTraffic, type DemoTrafficOptions } from '../simulate/demo-traffic';
import { produceTelemetry } from './produce-telemetry';
import { Progress } from './progress';

/**
 * `generate`: demo traffic with a few abusive accounts, written as NDJSON or
 * produced as Avro to the telemetry topics at a target rate.
 */
export interface GenerateOptions extends DemoTrafficOptions {
  output?: string;
  kafka: boolean;
  ratePerSecond: number;
}

export async function generate(env: Readonly<Record<string, string | undefined>>, opts: GenerateOptions, err: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  const { accounts, events } = demoTraffic(opts);
  const personas = new Map<string, number>();
  for (const a of accounts) personas.set(a.persona, (personas.get(a.persona) ?? 0) + 1);
  err.write(`generated ${events.length} events for ${accounts.length} accounts (${[...personas].map(([p, n]) => `${n} ${p}`).join(', ')}) over ${opts.minutes} min of event time\n`);

  if (opts.output !== undefined) {
    const writer = new NdjsonWriter(opts.output);
    for (const e of events) await writer.write(e);
    await writer.close();
  }
  if (opts.kafka) await produceTelemetry(env, events, { ratePerSecond: opts.ratePerSecond, progress: new Progress(err, 'events'), fractionOf: (_e, sent) => sent / events.length });
  return 0;
}
