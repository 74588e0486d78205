/**
 * What the referral pages work out on their own: the codes they offer match the contract's lists,
 * the disclosure gate's and the lifecycle's refusals are read from the error body, and the
 * Spanish words mirror the English.
 */
import { describe, expect, test } from 'vitest';
import { REFUSAL_REASONS } from '../../../contracts/consents';
import { LINKAGE_KINDS as CONTRACT_LINKAGE_KINDS, LINKAGE_SOURCES as CONTRACT_LINKAGE_SOURCES, REFERRAL_STATUSES, REFERRAL_URGENCIES } from '../../../contracts/referrals';
import { ApiError } from '../../app/api';
import { consentRefusalOf, LINKAGE_KINDS, LINKAGE_SOURCES, transitionRefusalOf, URGENCIES } from './referrals.api';
import { referralsEn, referralsEs } from './i18n';

describe('the codes offered are the contract’s', () => {
  test('urgencies, linkage kinds and sources, statuses and refusal reasons all have words', () => {
    expect(URGENCIES).toEqual([...REFERRAL_URGENCIES]);
    expect(LINKAGE_KINDS).toEqual([...CONTRACT_LINKAGE_KINDS]);
    expect(LINKAGE_SOURCES).toEqual([...CONTRACT_LINKAGE_SOURCES]);
    expect(Object.keys(referralsEn.statuses).sort()).toEqual([...REFERRAL_STATUSES].sort());
    expect(Object.keys(referralsEn.page.to).sort()).toEqual([...REFERRAL_STATUSES].sort());
    expect(Object.keys(referralsEn.refusals).sort()).toEqual([...REFUSAL_REASONS].sort());
  });
});

describe('refusals read from the error body', () => {
  test('403 referral.consent_required: the reason and the categories not covered', () => {
    const err = new ApiError(403, 'referral.consent_required', 'No consent', [], { reason: 'categories_not_covered', missingCategories: ['recovery_plan', 7] });
    expect(consentRefusalOf(err)).toEqual({ reason: 'categories_not_covered', missingCategories: ['recovery_plan'] });
  });
  test('a consent refusal without details still reads as one (no consent)', () => {
    expect(consentRefusalOf(new ApiError(403, 'referral.consent_required', 'No consent'))).toEqual({ reason: 'no_consent', missingCategories: [] });
  });
  test('other errors are not consent refusals', () => {
    expect(consentRefusalOf(new ApiError(403, 'auth.forbidden', 'No'))).toBeUndefined();
    expect(consentRefusalOf(new Error('boom'))).toBeUndefined();
  });
  test('409 referral.transition_not_allowed: the statuses allowed from here', () => {
    const err = new ApiError(409, 'referral.transition_not_allowed', 'Not allowed', [], { from: 'completed', to: 'accepted', allowed: [] });
    expect(transitionRefusalOf(err)).toEqual([]);
    expect(transitionRefusalOf(new ApiError(409, 'referral.transition_not_allowed', 'Not allowed', [], { allowed: ['accepted', 'rejected'] }))).toEqual(['accepted', 'rejected']);
    expect(transitionRefusalOf(new ApiError(409, 'record.conflict', 'Stale'))).toBeUndefined();
  });
});

describe('the words', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
  test('Spanish has every English key, and no others', () => {
    expect(keys(referralsEs).sort()).toEqual(keys(referralsEn).sort());
  });
  test('placeholders are the same in both languages', () => {
    const en = new Map(keys(referralsEn).map((k) => [k, k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], referralsEn)]));
    const es = new Map(keys(referralsEs).map((k) => [k, k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], referralsEs)]));
    const holes = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [k, v] of en) expect(holes(es.get(k)), k).toEqual(holes(v));
  });
});
