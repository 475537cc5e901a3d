import { randomInt } from 'node:crypto';

/**
 * Tracking codes of citizens' reports (the public status page, the Open311 token): 8 characters
 * from 31 that cannot be confused when read aloud or copied from a screen (no 0/O, 1/I/L).
 * 31^8 ≈ 8.5·10^11 codes, drawn with a CSPRNG: unguessable at the rate limit of the status route.
 */
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TRACKING_LENGTH = 8;

/** A fresh random code: newTrackingCode() → 'K7QX3MPA'. */
export function newTrackingCode(rand: (max: number) => number = randomInt): string {
  let out = '';
  for (let i = 0; i < TRACKING_LENGTH; i++) out += TRACKING_ALPHABET[rand(TRACKING_ALPHABET.length)];
  return out;
}

/**
 * What a person typed, as a code, or null: upper case, spaces and dashes dropped.
 * normalizeTrackingCode(' k7qx-3mpa ') → 'K7QX3MPA'; normalizeTrackingCode('K7QX3MP0') → null.
 */
export function normalizeTrackingCode(raw: string): string | null {
  const code = raw.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== TRACKING_LENGTH) return null;
  for (const ch of code) if (!TRACKING_ALPHABET.includes(ch)) return null;
  return code;
}
