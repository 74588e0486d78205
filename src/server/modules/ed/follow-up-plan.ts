/**
 * The post-overdose follow-up plan: outreach to-dos at the program's schedule after an ED
 * encounter, overdose or ED visit (filled in by the ED work).
 */
import type { Ctx } from '../../platform/http/context.js';

export interface FollowUpPlanInput {
  participantId: string;
  /** The instant the schedule counts from (the bedside encounter's end, or the event). */
  anchorAt: string;
  /** What started it. */
  source: { type: 'ed_visit' | 'life_event'; id: string };
}

/** Creates the plan's outreach to-dos; returns their ids. */
export async function createFollowUpPlan(_ctx: Ctx, _input: FollowUpPlanInput): Promise<string[]> {
  return [];
}
