import { ACTIONS, SEVERITIES, type Action, type Severity } from '../events/types';
import { PolicyError } from '../errors';
import { DEFAULT_ENFORCEMENT, DEFAULT_HIGH_RISK_PREFIXES } from './defaults';
import { RULE_MODES, type EnforcementPolicy, type EscalationStep, type HighRiskPrefix, type Policy, type RuleConfig, type RuleDefaults, type Tier } from './types';

/**
 * User policy (parsed YAML or JSON) + the detectors' defaults → one validated,
 * frozen Policy. Every problem is reported with its key path, all at once.
 * Unknown keys are errors: a typo must not silently leave a default in force.
 */
const RULE_KEYS = ['mode', 'threshold', 'windowMs', 'severity', 'action', 'params'] as const;
const TOP_KEYS = ['version', 'rules', 'tiers', 'allow', 'highRiskPrefixes', 'enforcement'] as const;
const MAX_WINDOW_MS = 31 * 24 * 3600 * 1000;
const E164_PREFIX = /^\+\d{1,14}$/;

export const DEFAULT_POLICY_VERSION = 'builtin-defaults';

type Raw = Record<string, unknown>;
type Rules = Record<string, RuleConfig>;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): v is T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v);
}

class Checker {
  readonly problems: string[] = [];

  unknownKeys(path: string, raw: Raw, allowed: readonly string[]): void {
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) this.problems.push(`${path}${key}: unknown key (${path === '' ? 'top-level keys' : 'keys here'} are ${allowed.join(', ')})`);
    }
  }

  object(path: string, v: unknown): Raw | undefined {
    if (isObject(v)) return v;
    this.problems.push(`${path}: expected an object`);
    return undefined;
  }

  strings(path: string, v: unknown, pattern?: RegExp, patternDoc?: string): string[] {
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s !== '')) {
      this.problems.push(`${path}: expected a list of non-empty strings`);
      return [];
    }
    const bad = pattern ? (v as string[]).filter((s) => !pattern.test(s)) : [];
    if (bad.length > 0) this.problems.push(`${path}: ${bad.length} entr${bad.length === 1 ? 'y is' : 'ies are'} not ${patternDoc ?? 'valid'}`);
    return v as string[];
  }

  rule(path: string, raw: Raw, base: RuleConfig): RuleConfig {
    const rule: RuleConfig = { ...base, params: { ...base.params } };
    this.unknownKeys(`${path}.`, raw, RULE_KEYS);
    const { mode, threshold, windowMs, severity, action, params } = raw;
    if (mode !== undefined) {
      if (oneOf(mode, RULE_MODES)) rule.mode = mode;
      else this.problems.push(`${path}.mode: expected one of ${RULE_MODES.join(', ')}`);
    }
    if (threshold !== undefined) {
      if (typeof threshold === 'number' && Number.isFinite(threshold) && threshold >= 0) rule.threshold = threshold;
      else this.problems.push(`${path}.threshold: expected a number of 0 or more`);
    }
    if (windowMs !== undefined) {
      if (typeof windowMs === 'number' && Number.isSafeInteger(windowMs) && windowMs >= 1000 && windowMs <= MAX_WINDOW_MS) rule.windowMs = windowMs;
      else this.problems.push(`${path}.windowMs: expected whole milliseconds between 1000 and ${MAX_WINDOW_MS} (31 days)`);
    }
    if (severity !== undefined) {
      if (oneOf(severity, SEVERITIES)) rule.severity = severity;
      else this.problems.push(`${path}.severity: expected one of ${SEVERITIES.join(', ')}`);
    }
    if (action !== undefined) {
      if (oneOf(action, ACTIONS)) rule.action = action;
      else this.problems.push(`${path}.action: expected one of ${ACTIONS.join(', ')}`);
    }
    if (params !== undefined) {
      const p = this.object(`${path}.params`, params);
      for (const [name, value] of Object.entries(p ?? {})) {
        if (!(name in base.params)) {
          const known = Object.keys(base.params);
          this.problems.push(`${path}.params.${name}: unknown parameter (${known.length > 0 ? `this rule has ${known.join(', ')}` : 'this rule has none'})`);
        } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          this.problems.push(`${path}.params.${name}: expected a number of 0 or more`);
        } else {
          (rule.params as Record<string, number>)[name] = value;
        }
      }
    }
    return rule;
  }

  rules(path: string, raw: unknown, base: Rules): Rules {
    const out: Rules = { ...base };
    const table = this.object(path, raw);
    for (const [name, settings] of Object.entries(table ?? {})) {
      const rule = base[name];
      if (!rule) this.problems.push(`${path}.${name}: unknown rule (known: ${Object.keys(base).sort().join(', ')})`);
      else if (!isObject(settings)) this.problems.push(`${path}.${name}: expected an object of settings`);
      else out[name] = this.rule(`${path}.${name}`, settings, rule);
    }
    return out;
  }

  tiers(raw: unknown, base: Rules): Tier[] {
    const table = this.object('tiers', raw);
    return Object.entries(table ?? {}).map(([name, value]) => {
      const path = `tiers.${name}`;
      const t = this.object(path, value) ?? {};
      this.unknownKeys(`${path}.`, t, ['accounts', 'accountPrefixes', 'rules']);
      if (t.accounts === undefined && t.accountPrefixes === undefined) this.problems.push(`${path}: give accounts, accountPrefixes or both, or no account is in the tier`);
      return {
        name,
        accounts: new Set(t.accounts === undefined ? [] : this.strings(`${path}.accounts`, t.accounts)),
        accountPrefixes: t.accountPrefixes === undefined ? [] : this.strings(`${path}.accountPrefixes`, t.accountPrefixes),
        rules: freezeRules(t.rules === undefined ? base : this.rules(`${path}.rules`, t.rules, base)),
      };
    });
  }

  prefixes(raw: unknown): HighRiskPrefix[] {
    if (!Array.isArray(raw)) {
      this.problems.push('highRiskPrefixes: expected a list of { prefix, label }');
      return [];
    }
    return raw.flatMap((entry, i) => {
      const path = `highRiskPrefixes[${i}]`;
      if (!isObject(entry)) {
        this.problems.push(`${path}: expected { prefix, label }`);
        return [];
      }
      this.unknownKeys(`${path}.`, entry, ['prefix', 'label']);
      if (typeof entry.prefix !== 'string' || !E164_PREFIX.test(entry.prefix)) {
        this.problems.push(`${path}.prefix: expected + and 1 to 14 digits, e.g. +882`);
        return [];
      }
      return [{ prefix: entry.prefix, label: typeof entry.label === 'string' ? entry.label : entry.prefix }];
    });
  }

  enforcement(raw: unknown): EnforcementPolicy {
    const e = this.object('enforcement', raw) ?? {};
    this.unknownKeys('enforcement.', e, ['cooldownMs', 'escalationWindowMs', 'ladder']);
    const out: EnforcementPolicy = { ...DEFAULT_ENFORCEMENT };
    for (const key of ['cooldownMs', 'escalationWindowMs'] as const) {
      const v = e[key];
      if (v === undefined) continue;
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_WINDOW_MS) out[key] = v;
      else this.problems.push(`enforcement.${key}: expected whole milliseconds from 0 to ${MAX_WINDOW_MS} (31 days)`);
    }
    if (e.ladder !== undefined) {
      const steps: EscalationStep[] = [];
      if (!Array.isArray(e.ladder) || e.ladder.length === 0) this.problems.push('enforcement.ladder: expected a non-empty list of { severity, action }');
      else
        e.ladder.forEach((step: unknown, i) => {
          if (isObject(step) && oneOf(step.severity, SEVERITIES) && oneOf(step.action, ACTIONS)) steps.push({ severity: step.severity, action: step.action });
          else this.problems.push(`enforcement.ladder[${i}]: expected { severity: ${SEVERITIES.join('|')}, action: ${ACTIONS.join('|')} }`);
        });
      if (steps.length > 0) out.ladder = steps;
    }
    return out;
  }
}

function freezeRules(rules: Rules): Readonly<Rules> {
  for (const rule of Object.values(rules)) {
    Object.freeze(rule.params);
    Object.freeze(rule);
  }
  return Object.freeze(rules);
}

/** Defaults as the detectors declare them → full rule settings. */
export function withParams(defaults: Readonly<Record<string, RuleDefaults>>): Rules {
  return Object.fromEntries(Object.entries(defaults).map(([name, d]) => [name, { ...d, params: { ...(d.params ?? {}) } }]));
}

export function compilePolicy(raw: unknown, defaults: Readonly<Record<string, RuleDefaults>>, source = '(inline)'): Policy {
  const c = new Checker();
  const base = withParams(defaults);
  if (raw !== undefined && raw !== null && !isObject(raw)) throw new PolicyError(source, ['(top level): expected an object with "version" and "rules"']);
  const r: Raw = isObject(raw) ? raw : {};
  c.unknownKeys('', r, TOP_KEYS);

  let version = DEFAULT_POLICY_VERSION;
  if (r.version !== undefined) {
    if (typeof r.version === 'string' && /^[\w.:+-]{1,64}$/.test(r.version)) version = r.version;
    else c.problems.push('version: expected 1 to 64 letters, digits or . _ : + -');
  }
  const rules = r.rules === undefined ? base : c.rules('rules', r.rules, base);
  const tiers = r.tiers === undefined ? [] : c.tiers(r.tiers, rules);
  let allow = { accounts: new Set<string>(), destinations: new Set<string>() };
  if (r.allow !== undefined) {
    const a = c.object('allow', r.allow) ?? {};
    c.unknownKeys('allow.', a, ['accounts', 'destinations']);
    allow = {
      accounts: new Set(a.accounts === undefined ? [] : c.strings('allow.accounts', a.accounts)),
      destinations: new Set(a.destinations === undefined ? [] : c.strings('allow.destinations', a.destinations, /^\+[1-9]\d{1,14}$/, 'E.164 numbers')),
    };
  }
  const highRiskPrefixes = r.highRiskPrefixes === undefined ? [...DEFAULT_HIGH_RISK_PREFIXES] : c.prefixes(r.highRiskPrefixes);
  const enforcement = r.enforcement === undefined ? DEFAULT_ENFORCEMENT : c.enforcement(r.enforcement);

  if (c.problems.length > 0) throw new PolicyError(source, c.problems);
  return Object.freeze({ version, rules: freezeRules(rules), tiers: Object.freeze(tiers), allow: Object.freeze(allow), highRiskPrefixes: Object.freeze(highRiskPrefixes), enforcement: Object.freeze(enforcement) });
}

export type { Action, Severity };
