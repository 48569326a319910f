import type { AnyDetector, DetectorContext } from '../detectors/types';
import type { Policy, RuleConfig } from '../policy/types';

/**
 * The context a detector sees, one per detector, refilled before each call
 * rather than allocated per event (detectors are synchronous, so reuse is safe).
 */
export class BoundContext implements DetectorContext {
  policy!: Policy;
  watermark = Number.NEGATIVE_INFINITY;
  rules: Readonly<Record<string, Readonly<RuleConfig>>> = {};
  key = '';
  accountId = '';
  partition = 0;

  constructor(
    readonly detectorIndex: number,
    readonly detector: AnyDetector,
    private readonly onLate: (detector: string, rule: string) => void,
    private readonly onSchedule: (partition: number, at: number, detector: number, key: string, accountId: string) => void,
  ) {}

  rule(name: string): Readonly<RuleConfig> | undefined {
    const rule = this.rules[name];
    return rule !== undefined && rule.mode !== 'off' ? rule : undefined;
  }

  late(rule: string): void {
    this.onLate(this.detector.name, rule);
  }

  schedule(at: number): void {
    this.onSchedule(this.partition, at, this.detectorIndex, this.key, this.accountId);
  }
}
