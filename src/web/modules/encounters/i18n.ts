/** Words for encounters, addenda and the note review queue: English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../app/i18n/widen';

export const encounterEn = {} as const;

export const encounterEs = {} satisfies Widen<typeof encounterEn>;
