/**
 * Every route declares who may call it in `config.access`; the guard in `app.ts` enforces it
 * before the handler (and before any read). A route under /api without a declaration makes the
 * app refuse to start.
 */
import type { Permission } from '../../permissions.js';

export type Access =
  /** Anyone, signed in or not (sign-in, setup, health). */
  | { kind: 'public' }
  /** Any signed-in user. `partial` also admits a session that still owes its MFA step. */
  | { kind: 'signed_in'; partial?: boolean }
  /** A signed-in user whose roles in the current organization grant the permission. */
  | { kind: 'permission'; permission: Permission }
  /** Operators of the whole deployment (creating organizations). */
  | { kind: 'platform_admin' };

export const publicAccess: Access = { kind: 'public' };
export const signedIn: Access = { kind: 'signed_in' };
export const partiallySignedIn: Access = { kind: 'signed_in', partial: true };
export const can = (permission: Permission): Access => ({ kind: 'permission', permission });
export const platformAdmin: Access = { kind: 'platform_admin' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
