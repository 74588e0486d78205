/**
 * Questionnaires (issue 6). A questionnaire is DATA: a definition names its items (each with an
 * answer type), its scoring rule (a sum, with thresholds that set labelled flags) and, for a
 * screen, which directory service types a positive answer suggests. Definitions are versioned by
 * (key, version, language): a response stores the exact definition it was scored with and is
 * never rescored when a newer version appears.
 *
 * Item types and their item scores:
 * - `likert6_agreement`: 1 (strongly disagree) … 6 (strongly agree); score = answer (reverse: 7 − answer);
 * - `yes_no`: true / false; score 1 for yes, 0 for no (reverse: the other way round);
 * - `single_choice`: one option's `value`; score = that option's `score` (0 when it has none);
 * - `number`: a whole number within min…max; score = answer (reverse: min + max − answer).
 *
 * A validated instrument is offered only in the languages of a published, validated translation:
 * its items are never translated ad hoc. BARC-10 (Vilsaint et al. 2017) ships in English only, so
 * asking for it in any other language is refused (400 naming `language`).
 */
import { z } from 'zod';
import { Id } from './common.js';
import { IsoDate } from './participants.js';
import { DirectorySearchResult, SERVICE_TYPES } from './directory.js';

export const ITEM_TYPES = ['likert6_agreement', 'yes_no', 'single_choice', 'number'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const RESPONSE_SOURCES = ['coach', 'participant_link'] as const;
export const DEFINITION_STATUSES = ['active', 'retired'] as const;

/** The agreement scale of `likert6_agreement` items (value → English label; the interface translates the labels). */
export const AGREEMENT_SCALE = [
  { value: 1, label: 'Strongly disagree' },
  { value: 2, label: 'Disagree' },
  { value: 3, label: 'Somewhat disagree' },
  { value: 4, label: 'Somewhat agree' },
  { value: 5, label: 'Agree' },
  { value: 6, label: 'Strongly agree' },
] as const;

const Key = z.string().regex(/^[a-z0-9_]{1,40}$/, 'Use lower-case letters, digits and _');
const ItemId = z.string().regex(/^[a-z0-9_]{1,40}$/, 'Use lower-case letters, digits and _');
const ServiceType = z.enum(SERVICE_TYPES, { message: 'Choose a kind of service from the list' });
/** Two or three letters, ISO 639. */
export const QuestionnaireLanguage = z.string().trim().toLowerCase().regex(/^[a-z]{2,3}$/, 'Use a two-letter language code, like en');

const itemBase = {
  id: ItemId,
  text: z.string().min(1).max(500),
  /** Score the item the other way round (BARC-10 has none). */
  reverse: z.boolean().optional(),
};

export const QuestionnaireItem = z.discriminatedUnion('type', [
  z.object({ ...itemBase, type: z.literal('likert6_agreement') }),
  z.object({
    ...itemBase,
    type: z.literal('yes_no'),
    /** For a screen: the directory service types a "yes" suggests. */
    suggestsServiceTypes: z.array(ServiceType).optional(),
  }),
  z.object({
    ...itemBase,
    type: z.literal('single_choice'),
    options: z.array(z.object({ value: ItemId, label: z.string().min(1).max(200), score: z.number().int().optional() })).min(2),
  }),
  z.object({ ...itemBase, type: z.literal('number'), min: z.number().int(), max: z.number().int() }),
]);
export type QuestionnaireItem = z.infer<typeof QuestionnaireItem>;

export const ScoringThreshold = z.object({
  /** The flag set when the total is at least `atLeast` (and at most `atMost`, when given). */
  flag: Key,
  label: z.string().min(1).max(200),
  atLeast: z.number().int().optional(),
  atMost: z.number().int().optional(),
});
export const ScoringRule = z.object({
  /** `sum`: the total is the sum of the item scores (of `itemIds`, or every item). */
  method: z.literal('sum'),
  itemIds: z.array(ItemId).optional(),
  thresholds: z.array(ScoringThreshold).default([]),
});
export type ScoringRule = z.infer<typeof ScoringRule>;

/** A definition as the API shows it. */
export const QuestionnaireDefinition = z.object({
  id: z.string(),
  key: Key,
  version: z.number().int(),
  language: z.string(),
  title: z.string(),
  /** Where the instrument comes from (a citation), for validated ones. */
  source: z.string().nullable(),
  /** False for a program's own definition; true for those Lodestar ships. */
  shipped: z.boolean(),
  /** True when this is the version to use now (older versions stay for their responses). */
  current: z.boolean(),
  items: z.array(QuestionnaireItem),
  scoring: ScoringRule,
  minScore: z.number().nullable(),
  maxScore: z.number().nullable(),
});
export const QuestionnaireList = z.object({ questionnaires: z.array(QuestionnaireDefinition) });
export const QuestionnaireListQuery = z.object({ language: QuestionnaireLanguage.optional() });

// ---- responses

export const AnswerValue = z.union([z.number(), z.boolean(), z.string().max(100)]);

/**
 * Validated instruments and the languages of their published, validated translations. Asking one
 * in any other language is refused here, whatever definitions a database holds (a translated row
 * added ad hoc is never used). A new language is added only with its published translation.
 */
export const VALIDATED_INSTRUMENT_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  barc10: ['en'],
};

export const CreateQuestionnaireResponseBody = z
  .object({
    key: Key,
    /** The version answered: required, so answers given on one form are never scored as another. */
    version: z.number({ message: 'Say which version of the questionnaire was answered' }).int().min(1),
    /** Set when the version named is an older one on purpose (answers given on a printed older form). */
    olderVersion: z.boolean().optional(),
    language: QuestionnaireLanguage.default('en'),
    /** The local date it was answered; today when left out; never in the future. */
    answeredOn: IsoDate.optional(),
    /** The encounter or visit it was asked in. */
    encounterId: Id.nullable().optional(),
    answers: z.record(z.string().max(40), AnswerValue),
  })
  .superRefine((b, ctx) => {
    const validated = VALIDATED_INSTRUMENT_LANGUAGES[b.key];
    if (validated && !validated.includes(b.language)) {
      ctx.addIssue({ code: 'custom', path: ['language'], message: `This questionnaire has no validated translation in this language. Ask it in: ${validated.join(', ')}.` });
    }
  });

export const QuestionnaireFlag = z.object({ flag: z.string(), label: z.string() });

export const QuestionnaireResponse = z.object({
  id: z.string(),
  participantId: z.string(),
  definitionId: z.string(),
  key: z.string(),
  version: z.number().int(),
  language: z.string(),
  title: z.string(),
  answeredOn: z.string(),
  source: z.enum(RESPONSE_SOURCES),
  encounterId: z.string().nullable(),
  answers: z.record(z.string(), AnswerValue),
  score: z.number().nullable(),
  maxScore: z.number().nullable(),
  flags: z.array(QuestionnaireFlag),
  /** For a screen: the directory service types its positive answers suggest. */
  suggestedServiceTypes: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
});
/** The answer to a new response: it, with a few directory services suggested by a screen. */
export const CreatedQuestionnaireResponse = QuestionnaireResponse.extend({
  suggestedServices: z.array(DirectorySearchResult),
});
export const QuestionnaireResponseList = z.object({ responses: z.array(QuestionnaireResponse) });
export const QuestionnaireResponseQuery = z.object({ key: Key.optional() });

// ---- BARC-10 trend

/** A drop of this many points or more between consecutive BARC-10 totals is a sharp drop (issue 6's alert rule). */
export const BARC10_SHARP_DROP = 10;

export const Barc10Trend = z.object({
  points: z.array(z.object({ responseId: z.string(), answeredOn: z.string(), score: z.number(), version: z.number().int(), strong: z.boolean() })),
  baseline: z.object({ responseId: z.string(), answeredOn: z.string(), score: z.number() }).nullable(),
  latest: z.object({ responseId: z.string(), answeredOn: z.string(), score: z.number() }).nullable(),
  /** Latest minus baseline (the first response); null with no response. */
  changeSinceBaseline: z.number().nullable(),
  /** Consecutive pairs whose total fell by BARC10_SHARP_DROP or more. */
  sharpDrops: z.array(z.object({ fromResponseId: z.string(), toResponseId: z.string(), fromScore: z.number(), toScore: z.number(), answeredOn: z.string() })),
  sharpDrop: z.boolean(),
});

// ---- scoring (shared by the server and the interface)

export type Answers = Record<string, number | boolean | string>;
export type FieldProblem = { path: string; message: string };

/** Each item's score from its answer; undefined when the answer does not fit the item. */
export function itemScore(item: QuestionnaireItem, answer: unknown): number | undefined {
  switch (item.type) {
    case 'likert6_agreement':
      if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 1 || answer > 6) return undefined;
      return item.reverse ? 7 - answer : answer;
    case 'yes_no':
      if (typeof answer !== 'boolean') return undefined;
      return (answer ? 1 : 0) ^ (item.reverse ? 1 : 0);
    case 'single_choice': {
      const o = item.options.find((x) => x.value === answer);
      if (!o) return undefined;
      return o.score ?? 0;
    }
    case 'number':
      if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < item.min || answer > item.max) return undefined;
      return item.reverse ? item.min + item.max - answer : answer;
  }
}

function expected(item: QuestionnaireItem): string {
  switch (item.type) {
    case 'likert6_agreement':
      return 'Choose a number from 1 (strongly disagree) to 6 (strongly agree)';
    case 'yes_no':
      return 'Answer yes (true) or no (false)';
    case 'single_choice':
      return `Choose one of: ${item.options.map((o) => o.value).join(', ')}`;
    case 'number':
      return `Enter a whole number from ${item.min} to ${item.max}`;
  }
}

const scoredItems = (items: readonly QuestionnaireItem[], rule: ScoringRule) => (rule.itemIds ? items.filter((i) => rule.itemIds!.includes(i.id)) : items);

/** The lowest and highest totals the rule allows. */
export function scoreRange(items: readonly QuestionnaireItem[], rule: ScoringRule): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const i of scoredItems(items, rule)) {
    const r = i.type === 'likert6_agreement' ? [1, 6] : i.type === 'yes_no' ? [0, 1] : i.type === 'number' ? [i.min, i.max] : [Math.min(...i.options.map((o) => o.score ?? 0)), Math.max(...i.options.map((o) => o.score ?? 0))];
    min += r[0]!;
    max += r[1]!;
  }
  return { min, max };
}

/**
 * Score a set of answers against a definition: every item answered and in range, no unknown item
 * (each problem names `answers.<itemId>`), then the total and the flags of the thresholds it meets.
 */
export function scoreAnswers(
  items: readonly QuestionnaireItem[],
  rule: ScoringRule,
  answers: Readonly<Record<string, unknown>>,
): { ok: true; score: number; flags: { flag: string; label: string }[] } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const scores = new Map<string, number>();
  for (const item of items) {
    if (!Object.hasOwn(answers, item.id)) {
      problems.push({ path: `answers.${item.id}`, message: `Answer this item. ${expected(item)}` });
      continue;
    }
    const s = itemScore(item, answers[item.id]);
    if (s === undefined) problems.push({ path: `answers.${item.id}`, message: expected(item) });
    else scores.set(item.id, s);
  }
  const known = new Set(items.map((i) => i.id));
  for (const id of Object.keys(answers)) if (!known.has(id)) problems.push({ path: `answers.${id}`, message: 'This questionnaire has no such item' });
  if (problems.length > 0) return { ok: false, problems };
  const score = scoredItems(items, rule).reduce((sum, i) => sum + scores.get(i.id)!, 0);
  const flags = rule.thresholds.filter((t) => (t.atLeast === undefined || score >= t.atLeast) && (t.atMost === undefined || score <= t.atMost)).map((t) => ({ flag: t.flag, label: t.label }));
  return { ok: true, score, flags };
}

/** The directory service types suggested by a screen's "yes" answers (in item order, no repeats). */
export function suggestedServiceTypes(items: readonly QuestionnaireItem[], answers: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const i of items) if (i.type === 'yes_no' && answers[i.id] === true) for (const t of i.suggestsServiceTypes ?? []) if (!out.includes(t)) out.push(t);
  return out;
}
