import { ACTIONS, SEVERITIES } from '../events/types';
import { PolicyError } from '../errors';
import { RULE_MODES, type Policy, type RuleConfig } from './types';

/**
 * User policy (parsed YAML or JSON) + the detectors' defaults → one validated,
 * frozen Policy. Every problem is reported with its key path, all at once.
 * Unknown keys are errors: a typo must not silently leave a default in force.
 */
const RULE_KEYS: readonly (keyof RuleConfig)[] = ['mode', 'threshold', 'windowMs', 'severity', 'action'];
const MAX_WINDOW_MS = 31 * 24 * 3600 * 1000;

export const DEFAULT_POLICY_VERSION = 'builtin-defaults';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkRule(path: string, raw: Record<string, unknown>, base: RuleConfig, problems: string[]): RuleConfig {
  const rule: RuleConfig = { ...base };
  for (const [key, value] of Object.entries(raw)) {
    const at = `${path}.${key}`;
    switch (key) {
      case 'mode':
        if (typeof value === 'string' && (RULE_MODES as readonly string[]).includes(value)) rule.mode = value as RuleConfig['mode'];
        else problems.push(`${at}: expected one of ${RULE_MODES.join(', ')}`);
        break;
      case 'threshold':
        if (typeof value === 'number' && Number.isFinite(value) && value >= 0) rule.threshold = value;
        else problems.push(`${at}: expected a number of 0 or more`);
        break;
      case 'windowMs':
        if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1000 && value <= MAX_WINDOW_MS) rule.windowMs = value;
        else problems.push(`${at}: expected whole milliseconds between 1000 and ${MAX_WINDOW_MS} (31 days)`);
        break;
      case 'severity':
        if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) rule.severity = value as RuleConfig['severity'];
        else problems.push(`${at}: expected one of ${SEVERITIES.join(', ')}`);
        break;
      case 'action':
        if (typeof value === 'string' && (ACTIONS as readonly string[]).includes(value)) rule.action = value as RuleConfig['action'];
        else problems.push(`${at}: expected one of ${ACTIONS.join(', ')}`);
        break;
      default:
        problems.push(`${at}: unknown key (rule keys are ${RULE_KEYS.join(', ')})`);
    }
  }
  return rule;
}

export function compilePolicy(raw: unknown, defaults: Readonly<Record<string, RuleConfig>>, source = '(inline)'): Policy {
  const problems: string[] = [];
  const rules: Record<string, RuleConfig> = {};
  for (const [name, rule] of Object.entries(defaults)) rules[name] = { ...rule };
  let version = DEFAULT_POLICY_VERSION;

  if (raw !== undefined && raw !== null) {
    if (!isObject(raw)) {
      throw new PolicyError(source, ['(top level): expected an object with "version" and "rules"']);
    }
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'version') {
        if (typeof value === 'string' && /^[\w.:+-]{1,64}$/.test(value)) version = value;
        else problems.push('version: expected 1 to 64 letters, digits or . _ : + -');
      } else if (key === 'rules') {
        if (!isObject(value)) {
          problems.push('rules: expected an object of rule name → settings');
          continue;
        }
        for (const [name, settings] of Object.entries(value)) {
          const base = rules[name];
          if (!base) problems.push(`rules.${name}: unknown rule (known: ${Object.keys(defaults).sort().join(', ')})`);
          else if (!isObject(settings)) problems.push(`rules.${name}: expected an object of settings`);
          else rules[name] = checkRule(`rules.${name}`, settings, base, problems);
        }
      } else {
        problems.push(`${key}: unknown key (top-level keys are version, rules)`);
      }
    }
  }
  if (problems.length > 0) throw new PolicyError(source, problems);
  for (const rule of Object.values(rules)) Object.freeze(rule);
  return Object.freeze({ version, rules: Object.freeze(rules) });
}
