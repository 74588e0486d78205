/** The merge request (the duplicate in the address, the record that stays in the body). */
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type { MergeBody, MergeResponse } from '../../../contracts/access';
import { api } from '../../app/api';

export type MergeResultT = z.infer<typeof MergeResponse>;

/** With an Idempotency-Key, a retry after a lost answer gets the merge's result, not "already merged". */
export const mergeInto = (duplicateId: string, body: z.input<typeof MergeBody>, idempotencyKey: string) =>
  api.post<MergeResultT>(`/api/v1/participants/${encodeURIComponent(duplicateId)}/merge`, body, { idempotencyKey });

/** Everything that moved, in one number for the person. */
export const movedTotal = (r: MergeResultT): number => Object.values(r.moved).reduce((a, b) => a + b, 0);
