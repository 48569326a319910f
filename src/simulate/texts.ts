import type { Draw } from './random';

/**
 * Message text for the share of traffic where the platform forwards content.
 * Everyday phrases include the look-alikes the personal-data rules were tuned
 * to spare (order numbers, phone numbers, talk about passwords and codes), so
 * a backtest exercises them on benign text too.
 */
const EVERYDAY = [
  'on my way, 10 min',
  'can you pick up milk?',
  'lol yes',
  'running late sorry',
  'happy birthday!!',
  'call me when you can',
  'what time is dinner',
  'I forgot my password again lol',
  'the door code is broken so knock',
  'your order #4111111111111111 is ready for pickup',
  'new number, call me on +14155550123',
  'meeting moved to 3pm, room 2041',
  'flight UA 1234 lands at 18:05',
  'tracking number 9400 1000 0000 0000 0000 00',
  'ok see you there',
  'good night',
  'did you see the game',
  'the wifi password changed, ask mum',
  'thanks! you too',
  'invoice 2026-11-25-0042 attached',
] as const;

export function everydayText(draw: Draw): string {
  return draw.rnd.pick(EVERYDAY);
}

export const STOCK_REPLIES = ['ok', 'lol', 'haha', 'omw', 'love you', 'night', 'thanks', 'yes'] as const;
