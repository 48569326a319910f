import type { TelemetryEvent } from '../events/types';
import { NdjsonWriter } from '../io/ndjson';
import { simulate, type SimulationOptions } from '../simulate/simulate';
import { UsageError } from './args';
import { produceTelemetry } from './produce-telemetry';
import { Progress } from './progress';

/**
 * `simulate`: a labelled population's telemetry as NDJSON (file or stdout)
 * and/or Avro to the telemetry topics, and the labels as NDJSON. The events
 * are streamed as they are made; with both a file and Kafka the population is
 * simulated twice, which gives the same events (it is deterministic).
 */
export interface SimulateCommandOptions extends SimulationOptions {
  output?: string;
  labels?: string;
  kafka: boolean;
  ratePerSecond: number;
}

type Err = NodeJS.WritableStream & { isTTY?: boolean };

function build(opts: SimulateCommandOptions): ReturnType<typeof simulate> {
  try {
    return simulate(opts);
  } catch (err) {
    // The population cannot hold every persona: a usage problem, said in the options' terms.
    if (err instanceof RangeError) throw new UsageError(`--accounts: ${err.message}`);
    throw err;
  }
}

export async function simulateCommand(env: Readonly<Record<string, string | undefined>>, opts: SimulateCommandOptions, err: Err): Promise<number> {
  let sim = build(opts);
  const labels0 = sim.labels();
  const abusive = labels0.filter((l) => l.label === 'abusive').length;
  const lookAlikes = labels0.filter((l) => l.lookAlike).length;
  err.write(
    `simulating ${labels0.length} accounts (${abusive} abusive in ${new Set(labels0.filter((l) => l.label === 'abusive').map((l) => l.persona)).size} personas, ${lookAlikes} heavy legitimate, ${labels0.length - abusive - lookAlikes} ordinary) over ${opts.hours} h from ${new Date(opts.start).toISOString()}\n`,
  );
  const fraction = (e: TelemetryEvent): number => (e.eventTime - sim.start) / (sim.end - sim.start);

  if (opts.output !== undefined) {
    const progress = new Progress(err, 'events');
    const writer = new NdjsonWriter(opts.output);
    let count = 0;
    try {
      for (const e of sim.events) {
        await writer.write(e);
        if (++count % 2000 === 0) progress.update(count, fraction(e));
      }
    } finally {
      await writer.close();
    }
    progress.finish(`wrote ${count.toLocaleString('en-US')} events to ${opts.output === '-' ? 'stdout' : opts.output}`);
  }
  if (opts.kafka) {
    if (opts.output !== undefined) sim = build(opts);
    await produceTelemetry(env, sim.events, { ratePerSecond: opts.ratePerSecond, progress: new Progress(err, 'events'), fractionOf: fraction });
  }
  if (opts.labels !== undefined) {
    const writer = new NdjsonWriter(opts.labels);
    for (const label of sim.labels()) await writer.write(label);
    await writer.close();
    err.write(`wrote ${labels0.length} labels to ${opts.labels}\n`);
  }
  return 0;
}
