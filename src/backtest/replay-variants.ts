import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../app/build-pipeline';
import { BadRecordError } from '../errors';
import { validateEvent } from '../events/validate';
import { readLines } from '../io/ndjson';
import type { Policy } from '../policy/types';
import type { Flag } from './metrics';

/**
 * The replay pipeline (the same as `replay` and `run`) over one NDJSON file,
 * once per policy, in a single pass: each line is parsed and validated once
 * and given to every policy's pipeline. Only what the metrics need of each
 * violation is kept.
 */
export interface VariantsResult {
  events: number;
  badLines: number;
  flags: Flag[][];
}

export async function replayVariants(input: string, policies: readonly Policy[], onBadLine: (lineNo: number, reason: string) => void, onProgress?: (events: number, charsRead: number) => void): Promise<VariantsResult> {
  const pipelines = policies.map((p) => buildPipeline(p, DEFAULT_PIPELINE_SETTINGS));
  const flags: Flag[][] = policies.map(() => []);
  let events = 0;
  let badLines = 0;
  let chars = 0;
  for await (const { line, lineNo } of readLines(input)) {
    chars += line.length + 1;
    if (line.trim() === '') continue;
    let event;
    try {
      event = validateEvent(JSON.parse(line));
    } catch (err) {
      badLines++;
      // JSON.parse's message quotes the line, which may hold a number or text: say only what is wrong.
      onBadLine(lineNo, err instanceof BadRecordError ? err.message : 'not a valid JSON object');
      continue;
    }
    events++;
    pipelines.forEach((pipeline, i) => {
      for (const v of pipeline.process(event, 0)) flags[i]?.push({ accountId: v.accountId, category: v.category, rule: v.rule, detectedAt: v.detectedAt });
    });
    if (onProgress && events % 20_000 === 0) onProgress(events, chars);
  }
  return { events, badLines, flags };
}
