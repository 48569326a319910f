import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { PolicyError, errorMessage } from '../errors';
import { compilePolicy } from '../policy/compile';
import type { Policy, RuleDefaults } from '../policy/types';

/** Reads a policy file (YAML, or JSON, which YAML parses too) and compiles it over the defaults. */
export function loadPolicyFile(path: string | undefined, defaults: Readonly<Record<string, RuleDefaults>>): Policy {
  if (path === undefined) return compilePolicy(undefined, defaults);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyError(path, [`cannot be read: ${errorMessage(err)}`]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new PolicyError(path, [`is not valid YAML or JSON: ${errorMessage(err)}`]);
  }
  return compilePolicy(raw, defaults, path);
}

/** Modification time, to notice edits without re-reading the file each time. */
export function policyFileStamp(path: string): number {
  return statSync(path).mtimeMs;
}
