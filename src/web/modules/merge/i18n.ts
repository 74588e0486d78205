/** Words for merging two participant records: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const mergeEn = {} as const;

export const mergeEs = {} satisfies Widen<typeof mergeEn>;
