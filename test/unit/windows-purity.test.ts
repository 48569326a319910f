import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuplicateFilter, hopping, SessionWindows, SlidingCount, Watermarks, WindowedAggregate } from '../../src/engine/windows';

/** The window kinds are pure: time comes in as arguments, so replay and tests move it by hand. */
const dir = join(__dirname, '../../src/engine/windows');
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));

describe('windows are pure and clock-free', () => {
  it('has the modules it documents', () => {
    expect(sources.map((s) => s.file).sort()).toEqual(['assigners.ts', 'duplicate-filter.ts', 'index.ts', 'session-window.ts', 'sliding-count.ts', 'watermarks.ts', 'windowed-aggregate.ts']);
  });

  it('never reads a clock or schedules anything', () => {
    for (const { file, text } of sources) {
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      expect({ file, hits: code.match(/Date\.now|new Date|performance\.|hrtime|setTimeout|setInterval|setImmediate/g) }).toEqual({ file, hits: null });
    }
  });

  it('imports only the engine itself (no Kafka, metrics, tracing or files)', () => {
    for (const { file, text } of sources) {
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
      for (const from of imports) expect({ file, from, inward: /^\.\.?\/[a-z-]+$/.test(from) && !from.startsWith('../../') }).toEqual({ file, from, inward: true });
    }
  });

  it('runs every window kind with the clock functions booby-trapped', () => {
    const trap = (): never => {
      throw new Error('a window read the clock');
    };
    const spies = [jest.spyOn(Date, 'now').mockImplementation(trap), jest.spyOn(performance, 'now').mockImplementation(trap)];
    try {
      const agg = new WindowedAggregate<number, unknown>({ assigner: hopping(1000, 500), graceMs: 100, create: () => 0, add: (n) => n + 1 });
      const a = agg.empty();
      agg.add(a, 700, null, 0);
      agg.close(a, 5000);
      const sliding = new SlidingCount({ threshold: 1, spanMs: 100 });
      sliding.add(sliding.empty(), 5, 0);
      const sessions = new SessionWindows({ gapMs: 100, graceMs: 0 });
      const s = sessions.empty();
      sessions.add(s, 5, 0);
      sessions.close(s, 1000);
      new DuplicateFilter(2).check('x');
      const w = new Watermarks({ allowedDisorderMs: 0, idleTimeoutMs: 10 });
      w.observe(0, 1, 0);
      w.lowWatermark(100);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
