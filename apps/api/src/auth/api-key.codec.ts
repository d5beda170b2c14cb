import { createHash, randomBytes } from 'node:crypto';

/** API keys look like `pdg_<8 lower-case alphanumerics>_<43 base64url characters>`: prefix for lookup, 256-bit secret. */
const KEY_PATTERN = /^pdg_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function generateApiKey(): GeneratedApiKey {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const prefix = Array.from(randomBytes(8), (byte) => alphabet[byte % alphabet.length]).join('');
  const key = `pdg_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The lookup prefix of a well-formed key, or undefined for anything else. */
export function apiKeyPrefix(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}
