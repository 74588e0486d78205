/** Row ids are UUIDv7 text: sortable by creation time and safe to merge across databases. */
import { v7 } from 'uuid';
import { createHash, randomBytes } from 'node:crypto';

export const newId = (): string => v7();

/** A random secret for links and cookies (256 bits, base64url). */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Tokens are stored only as their SHA-256, so a database leak does not leak live tokens. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
