/** Words for the today view, contact cadence, the unreachable workflow and the supervisor view: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const outreachEn = {} as const;

export const outreachEs = {} satisfies Widen<typeof outreachEn>;
