/** Words for break-the-glass access and notifications: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const breakGlassEn = {} as const;

export const breakGlassEs = {} satisfies Widen<typeof breakGlassEn>;
