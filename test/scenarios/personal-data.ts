import { messageEvent, MINUTE, HOUR } from '../helpers/events';
import type { CategoryScenario } from './types';

const P = 'personal-data-';

export const scenario: CategoryScenario = {
  category: 'PERSONAL_DATA_SHARING',
  personas: (t0) => [
    {
      accountId: `${P}card-seller`,
      kind: 'abusive',
      label: 'sends a stolen card number',
      events: [messageEvent(`${P}card-seller`, t0 + HOUR, { text: 'fresh one: 4111 1111 1111 1111 exp 09/28 cvv 123', to: '+12125550123' })],
    },
    {
      accountId: `${P}id-broker`,
      kind: 'abusive',
      label: 'shares a social security number',
      events: [messageEvent(`${P}id-broker`, t0 + 2 * HOUR, { text: 'her ssn is 219-09-9999', to: '+12125550124' })],
    },
    {
      accountId: `${P}code-phisher`,
      kind: 'abusive',
      label: 'relays a one-time code',
      events: [messageEvent(`${P}code-phisher`, t0 + 3 * HOUR, { text: 'got it, the code is 552817', to: '+12125550125' })],
    },
    {
      accountId: `${P}shop`,
      kind: 'legitimate',
      label: 'a shop texting order numbers and its phone number',
      events: Array.from({ length: 20 }, (_, i) =>
        messageEvent(`${P}shop`, t0 + i * 20 * MINUTE, { text: `Your order #4111111111111111 is ready. Questions? Call +14155550123 (ref ${1000 + i})`, contentHash: `shop-${i}`, to: `+1212555${String(3000 + i)}` }),
      ),
    },
    {
      accountId: `${P}chatter`,
      kind: 'legitimate',
      label: 'a person talking about passwords without sharing one',
      events: [
        messageEvent(`${P}chatter`, t0 + HOUR, { text: 'I forgot my password again lol', to: '+12125550126' }),
        messageEvent(`${P}chatter`, t0 + 2 * HOUR, { text: 'meet at 7, the door code is broken so knock', to: '+12125550126' }),
      ],
    },
  ],
};
