/** Words for consents, restriction requests and the accounting of disclosures: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const consentsEn = {} as const;

export const consentsEs = {} satisfies Widen<typeof consentsEn>;
