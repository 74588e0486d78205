/** Organizations (the tenant boundary), programs, sites and teams. */
import { z } from 'zod';
import { Id, Name, TimeZone, Version } from './common.js';
import { CRAVINGS_ALERT_THRESHOLD } from './checkins.js';
import { PLAN_REVIEW_DAYS } from './recovery-plans.js';

export const Organization = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  requireMfa: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organization = z.infer<typeof Organization>;

export const CreateOrganizationBody = z.object({
  name: Name(200),
  timeZone: TimeZone,
  requireMfa: z.boolean().default(false),
});
export const UpdateOrganizationBody = z.object({
  version: Version,
  name: Name(200).optional(),
  timeZone: TimeZone.optional(),
  requireMfa: z.boolean().optional(),
});

/**
 * A program's recovery settings: the cravings level (0–10 scale) at or above which a check-in asks
 * the coach to reach out, and the days between recovery-plan reviews.
 */
export const PROGRAM_SETTING_RANGES = {
  cravingsAlertThreshold: { min: 1, max: 10, default: CRAVINGS_ALERT_THRESHOLD },
  planReviewDays: { min: 14, max: 365, default: PLAN_REVIEW_DAYS },
} as const;

const wholeIn = (what: string, { min, max }: { min: number; max: number }) =>
  z
    .number({ message: `Enter ${what}, a whole number from ${min} to ${max}` })
    .int(`Enter ${what} as a whole number from ${min} to ${max}`)
    .min(min, `Enter ${what} from ${min} to ${max}`)
    .max(max, `Enter ${what} from ${min} to ${max}`);
export const CravingsAlertThreshold = wholeIn('the cravings alert level', PROGRAM_SETTING_RANGES.cravingsAlertThreshold);
export const PlanReviewDays = wholeIn('the days between plan reviews', PROGRAM_SETTING_RANGES.planReviewDays);

/**
 * The cost model's settings (issue 7, measure 9): unit costs in cents (0 to 100,000,000, i.e. up
 * to one million) and the baseline 30-day ED revisit rate in whole percent; null = not set.
 */
export const UNIT_COST_FIELDS = ['edVisitCostCents', 'inpatientDayCostCents', 'peerHourCostCents'] as const;
const UnitCostCents = (what: string) => wholeIn(`the cost of ${what} in cents`, { min: 0, max: 100_000_000 }).nullable();
export const ProgramCostFields = {
  edVisitCostCents: UnitCostCents('an ED visit'),
  inpatientDayCostCents: UnitCostCents('an inpatient day'),
  peerHourCostCents: UnitCostCents('an hour of peer support'),
  baselineEdRevisitPercent: wholeIn('the baseline ED revisit rate in percent', { min: 0, max: 100 }).nullable(),
};

export const Program = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  /** A check-in with cravings at or above this (of 10) asks the coach to reach out. */
  cravingsAlertThreshold: z.number().int(),
  /** A recovery plan is reviewed this many days after it is made, agreed or last reviewed. */
  planReviewDays: z.number().int(),
  /** Cost model: unit costs in cents and the baseline 30-day ED revisit rate in percent (null: not set). */
  edVisitCostCents: z.number().int().nullable(),
  inpatientDayCostCents: z.number().int().nullable(),
  peerHourCostCents: z.number().int().nullable(),
  baselineEdRevisitPercent: z.number().int().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const CreateProgramBody = z.object({
  name: Name(200),
  description: z.string().trim().max(2000).nullable().default(null),
  cravingsAlertThreshold: CravingsAlertThreshold.default(PROGRAM_SETTING_RANGES.cravingsAlertThreshold.default),
  planReviewDays: PlanReviewDays.default(PROGRAM_SETTING_RANGES.planReviewDays.default),
  edVisitCostCents: ProgramCostFields.edVisitCostCents.default(null),
  inpatientDayCostCents: ProgramCostFields.inpatientDayCostCents.default(null),
  peerHourCostCents: ProgramCostFields.peerHourCostCents.default(null),
  baselineEdRevisitPercent: ProgramCostFields.baselineEdRevisitPercent.default(null),
});
export const UpdateProgramBody = z.object({
  version: Version,
  name: Name(200).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  active: z.boolean().optional(),
  cravingsAlertThreshold: CravingsAlertThreshold.optional(),
  planReviewDays: PlanReviewDays.optional(),
  edVisitCostCents: ProgramCostFields.edVisitCostCents.optional(),
  inpatientDayCostCents: ProgramCostFields.inpatientDayCostCents.optional(),
  peerHourCostCents: ProgramCostFields.peerHourCostCents.optional(),
  baselineEdRevisitPercent: ProgramCostFields.baselineEdRevisitPercent.optional(),
});

export const SITE_KINDS = ['emergency_department', 'hospital', 'outpatient_clinic', 'residential', 'rco', 'telehealth', 'community', 'other'] as const;
export const SiteKind = z.enum(SITE_KINDS);

export const Site = z.object({
  id: z.string(),
  programId: z.string().nullable(),
  name: z.string(),
  kind: SiteKind,
  /** The site's own zone when it differs from the organization's. */
  timeZone: z.string().nullable(),
  /** The zone dates are counted in at this site. */
  effectiveTimeZone: z.string(),
  address: z.string().nullable(),
  active: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const CreateSiteBody = z.object({
  name: Name(200),
  kind: SiteKind,
  programId: Id.nullable().default(null),
  timeZone: TimeZone.nullable().default(null),
  address: z.string().trim().max(500).nullable().default(null),
});
export const UpdateSiteBody = z.object({
  version: Version,
  name: Name(200).optional(),
  kind: SiteKind.optional(),
  programId: Id.nullable().optional(),
  timeZone: TimeZone.nullable().optional(),
  address: z.string().trim().max(500).nullable().optional(),
  active: z.boolean().optional(),
});

export const Team = z.object({
  id: z.string(),
  name: z.string(),
  siteId: z.string().nullable(),
  supervisorUserId: z.string().nullable(),
  memberUserIds: z.array(z.string()),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const CreateTeamBody = z.object({
  name: Name(200),
  siteId: Id.nullable().default(null),
  supervisorUserId: Id.nullable().default(null),
  memberUserIds: z.array(Id).max(500).default([]),
});
export const UpdateTeamBody = z.object({
  version: Version,
  name: Name(200).optional(),
  siteId: Id.nullable().optional(),
  supervisorUserId: Id.nullable().optional(),
  memberUserIds: z.array(Id).max(500).optional(),
});

export const OrganizationList = z.object({ organizations: z.array(Organization) });
export const ProgramList = z.object({ programs: z.array(Program) });
export const SiteList = z.object({ sites: z.array(Site) });
export const TeamList = z.object({ teams: z.array(Team) });
