/** Words for the directory pages: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const directoryEn = {} as const;

export const directoryEs = {} satisfies Widen<typeof directoryEn>;
