/** Words for the moud pages: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const moudEn = {} as const;

export const moudEs = {} satisfies Widen<typeof moudEn>;
