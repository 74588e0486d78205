/** Consent and disclosure items for the participant timeline (see care/timeline.types.ts). */
import type { TimelineProvider } from '../care/timeline.types.js';

export const consentTimelineProviders: TimelineProvider[] = [];
