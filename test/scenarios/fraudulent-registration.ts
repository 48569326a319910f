import type { RegistrationEvent, Verification } from '../../src/events/types';
import { HOUR, MINUTE, registrationEvent } from '../helpers/events';
import type { CategoryScenario, Persona } from './types';

const P = 'fraudulent-registration-';

/**
 * Every device, address and number here is this scenario's own, so other
 * categories' traffic never joins these bursts. Bursts sit inside one
 * epoch-aligned hour (hence inside one day) whatever t0 is, so a tumbling
 * window boundary never splits them.
 */
const ip = (n: number): string => `2001:db8:f7a0::${n.toString(16)}`;
const number = (n: number): string => `+1202555${String(7000 + n)}`;

function reg(accountId: string, at: number, deviceId: string, ipAddress: string, phoneNumber: string, verification: Verification = 'verified'): RegistrationEvent {
  return registrationEvent(accountId, at, { deviceId: `${P}${deviceId}`, ipAddress, phoneNumber, verification });
}

function persona(accountId: string, kind: Persona['kind'], label: string, events: RegistrationEvent[]): Persona {
  return { accountId, kind, label, events };
}

export const scenario: CategoryScenario = {
  category: 'FRAUDULENT_REGISTRATION',
  personas: (t0) => {
    // The n-th full epoch-aligned hour after t0 (n ≤ 22 keeps it within the day).
    const hour = (n: number): number => Math.ceil(t0 / HOUR) * HOUR + n * HOUR;

    // A farm: 15 accounts from 2 devices on one address within 20 minutes, 4 of 5 failing or skipping the code.
    const farm = Array.from({ length: 15 }, (_, i) => {
      const id = `${P}farm-${i}`;
      const verification: Verification = i % 5 === 4 ? 'verified' : i % 2 === 0 ? 'failed' : 'skipped';
      return persona(id, 'abusive', `farm account ${i + 1} of 15: 2 devices, one address, 20 minutes, mostly unverified`, [
        reg(id, hour(1) + 5 * MINUTE + i * 80_000, `farm-dev-${i % 2}`, ip(1), number(100 + i), verification),
      ]);
    });

    // One device cycling 6 accounts in an hour; each verifies, with a fresh SIM, so only the device gives it away.
    const cycler = Array.from({ length: 6 }, (_, i) => {
      const id = `${P}cycler-${i}`;
      return persona(id, 'abusive', `account ${i + 1} of 6 cycled through one device within an hour`, [reg(id, hour(3) + i * 9 * MINUTE, 'cycler-dev', ip(2), number(200 + i))]);
    });

    // Three accounts on different devices and addresses, all trying one number nobody can receive codes on.
    const falseNumber = Array.from({ length: 3 }, (_, i) => {
      const id = `${P}false-number-${i}`;
      return persona(id, 'abusive', `account ${i + 1} of 3 registering with one unreachable number`, [
        reg(id, hour(5) + i * 15 * MINUTE, `false-number-dev-${i}`, ip(10 + i), number(300), 'failed'),
        reg(id, hour(5) + i * 15 * MINUTE + 2 * MINUTE, `false-number-dev-${i}`, ip(10 + i), number(300), 'skipped'),
      ]);
    });

    const liarId = `${P}unverifiable-number`;
    const liar = persona(
      liarId,
      'abusive',
      'one account whose number fails verification five times',
      [0, 1, 2, 3, 4].map((i) => reg(liarId, hour(7) + i * 4 * MINUTE, 'liar-dev', ip(20), number(400), i === 3 ? 'skipped' : 'failed')),
    );

    // Legitimate look-alikes.
    const household = ['parent', 'partner', 'teen'].map((who, i) => {
      const id = `${P}household-${who}`;
      return persona(id, 'legitimate', `household member ${i + 1} of 3 registering on the home network over an evening, own phone, verified`, [
        reg(id, t0 + 9 * HOUR + i * 75 * MINUTE, `household-dev-${i}`, ip(30), number(500 + i)),
      ]);
    });

    const cgnat = Array.from({ length: 50 }, (_, i) => {
      const id = `${P}cgnat-${i}`;
      const at = t0 + Math.floor((i * 23 * HOUR) / 50);
      // Every tenth customer mistypes the code once before getting it right.
      const events = i % 10 === 3 ? [reg(id, at, `cgnat-dev-${i}`, ip(40), number(600 + i), 'failed'), reg(id, at + MINUTE, `cgnat-dev-${i}`, ip(40), number(600 + i))] : [reg(id, at, `cgnat-dev-${i}`, ip(40), number(600 + i))];
      return persona(id, 'legitimate', `carrier-NAT customer ${i + 1} of 50, spread over the day, own device, verified`, events);
    });

    const typoId = `${P}typo`;
    const typo = persona(typoId, 'legitimate', 'mistypes the one-time code once, then verifies', [
      reg(typoId, t0 + 2 * HOUR, 'typo-dev', ip(50), number(700), 'failed'),
      reg(typoId, t0 + 2 * HOUR + 40_000, 'typo-dev', ip(50), number(700)),
    ]);

    const reinstallId = `${P}reinstaller`;
    const reinstaller = persona(
      reinstallId,
      'legitimate',
      'reinstalls the app twice on one phone, re-registering the same account',
      [0, 6, 12].map((h) => reg(reinstallId, t0 + h * HOUR + 30 * MINUTE, 'reinstall-dev', ip(60), number(800))),
    );

    return [...farm, ...cycler, ...falseNumber, liar, ...household, ...cgnat, typo, reinstaller];
  },
};
