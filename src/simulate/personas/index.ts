import type { PersonaDef } from '../persona';
import { MESSAGING_ABUSE } from './abusive-messaging';
import { CALLING_ABUSE } from './abusive-calling';
import { IDENTITY_ABUSE } from './abusive-identity';
import { VOLUME_ABUSE } from './abusive-volume';
import { LEGITIMATE_PEOPLE } from './legitimate-people';
import { LEGITIMATE_WORK } from './legitimate-work';

/** Every persona the simulator knows, legitimate first; `ordinary` is the population's default. */
export const PERSONAS: readonly PersonaDef[] = [...LEGITIMATE_PEOPLE, ...LEGITIMATE_WORK, ...VOLUME_ABUSE, ...MESSAGING_ABUSE, ...CALLING_ABUSE, ...IDENTITY_ABUSE];

export const ABUSIVE_PERSONAS: readonly PersonaDef[] = PERSONAS.filter((p) => p.kind === 'abusive');
export const LOOK_ALIKE_PERSONAS: readonly PersonaDef[] = PERSONAS.filter((p) => p.kind === 'legitimate' && p.lookAlike === true);

export function personaNamed(name: string): PersonaDef | undefined {
  return PERSONAS.find((p) => p.name === name);
}
