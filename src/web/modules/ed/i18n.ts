/** Words for the ED bedside visit and the post-overdose follow-up plan: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const edEn = {} as const;

export const edEs = {} satisfies Widen<typeof edEn>;
