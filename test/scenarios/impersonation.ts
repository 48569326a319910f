import { callEvent, reportEvent, MINUTE, HOUR } from '../helpers/events';
import type { CategoryScenario } from './types';

const P = 'impersonation-';

export const scenario: CategoryScenario = {
  category: 'IMPERSONATION',
  personas: (t0) => [
    {
      accountId: `${P}spoofer`,
      kind: 'abusive',
      label: 'presents a different bank number on each call',
      events: Array.from({ length: 6 }, (_, i) =>
        callEvent(`${P}spoofer`, t0 + i * 17 * MINUTE, { presentedCallerId: `+1800555${String(2000 + i)}`, to: `+1212555${String(4000 + i)}` }),
      ),
    },
    {
      accountId: `${P}unattested`,
      kind: 'abusive',
      label: 'places unattested calls at volume',
      events: Array.from({ length: 40 }, (_, i) => callEvent(`${P}unattested`, t0 + HOUR + i * 80_000, { attestation: 'C', to: `+1212555${String(5000 + i)}` })),
    },
    {
      accountId: `${P}reported`,
      kind: 'abusive',
      label: 'reported for impersonation by several recipients',
      events: ['+12125550201', '+12125550202', '+12125550203'].map((n, i) => reportEvent(`${P}reported`, t0 + i * HOUR, { reason: 'impersonation', reporterNumber: n })),
    },
    {
      accountId: `${P}business`,
      kind: 'legitimate',
      label: 'a business that always presents its main number',
      events: Array.from({ length: 80 }, (_, i) =>
        callEvent(`${P}business`, t0 + i * 7 * MINUTE + (i % 3) * 20_000, { presentedCallerId: '+18005550100', attestation: 'A', to: `+1212555${String(6000 + i)}` }),
      ),
    },
    {
      accountId: `${P}traveller`,
      kind: 'legitimate',
      label: 'a few unattested calls while abroad',
      events: Array.from({ length: 6 }, (_, i) => callEvent(`${P}traveller`, t0 + i * 45 * MINUTE, { attestation: 'C', to: '+12125550300' })),
    },
  ],
};
