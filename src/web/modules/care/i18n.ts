/** Words for life events, to-dos, the timeline and the caseload: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const careEn = {} as const;

export const careEs = {} satisfies Widen<typeof careEn>;
