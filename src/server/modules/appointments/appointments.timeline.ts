/** What the appointments module adds to a participant's timeline (see src/server/timeline.ts). */
import type { TimelineProvider } from '../care/timeline.types.js';

export const appointmentsTimelineProviders: readonly TimelineProvider[] = [];
