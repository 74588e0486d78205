/** Shapes shared by every endpoint: the error body, ids, versions, pagination. */
import { z } from 'zod';

export const Id = z.uuid({ message: 'Must be a valid id' });
export const Version = z.number().int().min(1);

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const IdParams = z.object({ id: Id });

export const Ok = z.object({ ok: z.literal(true) });

export const TimeZone = z
  .string()
  .min(1, 'Choose a time zone')
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Choose a valid time zone, such as America/New_York');

export const Email = z
  .string()
  .trim()
  .max(254)
  .email('Enter an email address in the correct format, like name@example.org')
  .transform((e) => e.toLowerCase());

/** A name a person types; trimmed, never blank. */
export const Name = (max = 120) => z.string().trim().min(1, 'Enter a name').max(max, `Use at most ${max} characters`);
