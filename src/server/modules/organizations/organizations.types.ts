import type { z } from 'zod';
import type { SiteKind as SiteKindSchema } from '../../../contracts/organizations.js';

export type SiteKind = z.infer<typeof SiteKindSchema>;
