/** Roles are per organization; a person may hold several in one organization. */
import { z } from 'zod';

export const ROLES = ['admin', 'privacy_officer', 'program_manager', 'supervisor', 'coach', 'partner'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
