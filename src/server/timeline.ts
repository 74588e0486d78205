/**
 * The timeline registry: every module's timeline providers, gathered (as `permissions.ts` gathers
 * policies). `GET /api/v1/participants/:id/timeline` asks each for its newest items before a cursor
 * and merges them (modules/care/timeline.read.ts). To add a source, export a
 * `TimelineProvider[]` from the module (`<module>.timeline.ts`) and spread it here.
 */
import type { TimelineProvider } from './modules/care/timeline.types.js';
import { careTimelineProviders } from './modules/care/care.timeline.js';
import { consentTimelineProviders } from './modules/consents/consents.timeline.js';
import { encounterTimelineProviders } from './modules/encounters/encounters.timeline.js';
import { appointmentsTimelineProviders } from './modules/appointments/appointments.timeline.js';
import { moudTimelineProviders } from './modules/moud/moud.timeline.js';
import { referralsTimelineProviders } from './modules/referrals/referrals.timeline.js';
import { questionnairesTimelineProviders } from './modules/questionnaires/questionnaires.timeline.js';
import { recoveryPlansTimelineProviders } from './modules/recovery-plans/recovery-plans.timeline.js';
import { copingPlansTimelineProviders } from './modules/coping-plans/coping-plans.timeline.js';
import { checkinsTimelineProviders } from './modules/checkins/checkins.timeline.js';

export const TIMELINE_PROVIDERS: readonly TimelineProvider[] = [...careTimelineProviders, ...consentTimelineProviders, ...encounterTimelineProviders, ...appointmentsTimelineProviders, ...moudTimelineProviders, ...referralsTimelineProviders, ...questionnairesTimelineProviders, ...recoveryPlansTimelineProviders, ...copingPlansTimelineProviders, ...checkinsTimelineProviders];
