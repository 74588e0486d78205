/** Words for the appointments pages: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const appointmentsEn = {} as const;

export const appointmentsEs = {} satisfies Widen<typeof appointmentsEn>;
