import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Personal data at rest (ENGINEERING.md §7): AES-256-GCM, stored as base64 of iv|tag|ciphertext,
 * with a keyed hash (HMAC-SHA256) beside it for lookups and dedupe.
 */
export class Crypto {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(secret: Buffer) {
    if (secret.length !== 32) throw new Error('secret key must be 32 bytes');
    // Separate subkeys so the lookup hash never reveals anything about the cipher key.
    this.encKey = createHmac('sha256', secret).update('chuangwen:enc').digest();
    this.macKey = createHmac('sha256', secret).update('chuangwen:mac').digest();
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(stored: string): string {
    const raw = Buffer.from(stored, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Keyed hash for equality lookups, e.g. login by phone. */
  lookupHash(value: string): string {
    return createHmac('sha256', this.macKey).update(value).digest('base64url');
  }
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
export const sha256 = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');
