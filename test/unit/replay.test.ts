import { Readable, Writable } from 'node:stream';
import { replay } from '../../src/cli/replay';
import { callEvent, messageBurst, MINUTE, T0 } from '../helpers/events';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

describe('replay', () => {
  it('writes violations as NDJSON and reports bad lines by number without their content', async () => {
    const lines = [
      ...messageBurst('spammer', 130, T0, MINUTE).map((e) => JSON.stringify(e)),
      '{"type":"call","to":"+14155550199"',
      JSON.stringify(callEvent('ok', T0, { from: 'not-a-number' })),
      '',
      JSON.stringify(callEvent('ok', T0 + MINUTE)),
    ];
    const stdout = new Sink();
    const stderr = new Sink();
    const summary = await replay({ input: '-', output: '-' }, { stdin: Readable.from([lines.join('\n')]), stdout, stderr });
    expect(summary).toMatchObject({ lines: 134, events: 131, badLines: 2 });
    const violations = stdout.text.trim().split('\n').map((l) => JSON.parse(l) as { rule: string; accountId: string });
    expect(violations).toHaveLength(summary.violations);
    // 130 deliveries in a minute: over the per-minute volume limit (other rules, e.g. bulk messaging, may add theirs).
    expect(violations).toContainEqual(expect.objectContaining({ rule: 'messages_per_minute', accountId: 'spammer' }));
    expect(violations.every((v) => v.accountId === 'spammer')).toBe(true);
    expect(stderr.text).toBe('-:131: not a valid JSON object\n-:132: field "from": expected an E.164 phone number such as +14155550123\n');
    expect(stderr.text).not.toContain('+14155550199');
  });
});
