/** What the moud module adds to a participant's timeline (see src/server/timeline.ts). */
import type { TimelineProvider } from '../care/timeline.types.js';

export const moudTimelineProviders: readonly TimelineProvider[] = [];
