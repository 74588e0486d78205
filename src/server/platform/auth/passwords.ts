/**
 * Passwords: argon2id hashes, and a policy of length over composition (NIST SP 800-63B):
 * 12 to 256 characters, not one of the ~49,000 most common passwords, not the user's email.
 */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

// OWASP's argon2id baseline (19 MiB, 2 iterations). `algorithm: 2` is Argon2id (an ambient const enum upstream).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary as Record<string, string[]>)['passwords-common']?.map((p) => p.toLowerCase()) ?? []);
  return common;
}

/**
 * The part of an email address before the @, when it is long enough to mean something in a
 * password (4+ characters): for jo@example.org, "jo" is in too many good passphrases to refuse.
 */
const EMAIL_NAME_MIN = 4;
function emailName(email: string): string | undefined {
  const name = email.toLowerCase().split('@')[0] ?? '';
  return name.length >= EMAIL_NAME_MIN ? name : undefined;
}

/** Why a password is not acceptable, in words a person can act on; undefined when it is fine. */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters. A few unrelated words make a strong password.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'This password is too common. Choose one that others would not guess.';
  if (new Set(lower).size < 4) return 'This password repeats too few characters. Choose a less predictable one.';
  const name = email ? emailName(email) : undefined;
  if (email && (lower.includes(email.toLowerCase()) || (name && lower.includes(name)))) return 'Do not include your email address in your password.';
  return undefined;
}

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verifying against a dummy hash when the account does not exist keeps timing the same.
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('lodestar-timing-equalizer');
  await verifyPassword(await dummy, password);
}
