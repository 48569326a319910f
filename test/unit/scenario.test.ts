import { Readable, Writable } from 'node:stream';
import { replay } from '../../src/cli/replay';
import { CATEGORIES, type Category, type Violation } from '../../src/events/types';
import { T0 } from '../helpers/events';
import { SCENARIOS } from '../scenarios';
import type { Persona } from '../scenarios/types';

/**
 * Every category's labelled personas replayed together through the full
 * pipeline with every detector on (the same code as `abuse-detector replay`):
 * each abusive persona is flagged in its category, no legitimate one at all.
 */
class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

describe('replay over labelled traffic of every category', () => {
  const personas: (Persona & { category: Category })[] = SCENARIOS.flatMap((s) => s.personas(T0).map((p) => ({ ...p, category: s.category })));
  let violations: Violation[] = [];

  beforeAll(async () => {
    const ids = new Set<string>();
    for (const p of personas) {
      if (ids.has(p.accountId)) throw new Error(`persona account ${p.accountId} appears twice`);
      ids.add(p.accountId);
    }
    const events = personas.flatMap((p) => p.events).sort((a, b) => a.eventTime - b.eventTime);
    const stdout = new Sink();
    const stderr = new Sink();
    const summary = await replay({ input: '-', output: '-' }, { stdin: Readable.from(events.map((e) => `${JSON.stringify(e)}\n`)), stdout, stderr });
    expect(stderr.text).toBe('');
    expect(summary.badLines).toBe(0);
    violations = stdout.text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Violation);
  });

  it('covers every category with abusive and legitimate personas', () => {
    expect(new Set(SCENARIOS.map((s) => s.category))).toEqual(new Set(CATEGORIES));
    expect(personas.some((p) => p.kind === 'abusive')).toBe(true);
    expect(personas.some((p) => p.kind === 'legitimate')).toBe(true);
  });

  it('flags every abusive persona in its own category', () => {
    const missed = personas
      .filter((p) => p.kind === 'abusive')
      .filter((p) => !violations.some((v) => v.accountId === p.accountId && v.category === p.category))
      .map((p) => `${p.category}: ${p.accountId} (${p.label})`);
    expect(missed).toEqual([]);
  });

  it('flags no legitimate persona in any category', () => {
    const legit = new Map(personas.filter((p) => p.kind === 'legitimate').map((p) => [p.accountId, p]));
    const wrongly = violations.filter((v) => legit.has(v.accountId)).map((v) => `${v.accountId} (${legit.get(v.accountId)?.label}) by ${v.category}/${v.rule}`);
    expect(wrongly).toEqual([]);
  });
});
