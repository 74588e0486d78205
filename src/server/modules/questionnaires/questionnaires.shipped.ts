/**
 * The questionnaire definitions Lodestar ships. They are seeded as rows of
 * `questionnaire_definitions` (organization_id NULL) by the migration that introduces each version,
 * so that definitions are data everywhere (a program's own ones are rows too) and a response
 * always points at the exact row it was scored with.
 *
 * A published version is NEVER edited: a change (wording, a new item, a new threshold) is a new
 * entry here with the next version number and a fixed new id, inserted by a new migration. Older
 * versions stay (status `retired`) for the responses given on them.
 */
import type { Kysely } from 'kysely';
import type { QuestionnaireItem, ScoringRule } from '../../../contracts/questionnaires.js';

export interface ShippedDefinition {
  id: string;
  key: string;
  version: number;
  language: string;
  title: string;
  source: string | null;
  items: QuestionnaireItem[];
  scoring: ScoringRule;
}

export const BARC10_KEY = 'barc10';
export const SOCIAL_NEEDS_KEY = 'social_needs';

/**
 * BARC-10, the Brief Assessment of Recovery Capital (Vilsaint et al. 2017; free to use), exactly as
 * PRODUCT.md gives it: ten statements answered 1 (strongly disagree) to 6 (strongly agree), total
 * 10–60, no reverse scoring, 47 or more flagged "strong recovery capital" (it predicts sustained
 * remission). English only: no validated translation is shipped, and the items are never
 * translated ad hoc.
 */
const BARC10_ITEMS = [
  'There are more important things to me in life than using substances.',
  'In general I am happy with my life.',
  'I have enough energy to complete the tasks I set myself.',
  'I am proud of the community I live in and feel part of it.',
  'I get lots of support from friends.',
  'I regard my life as challenging and fulfilling without the need for using drugs or alcohol.',
  'My living space has helped to drive my recovery journey.',
  'I take full responsibility for my actions.',
  'I am happy dealing with a range of professional people.',
  'I am making good progress on my recovery journey.',
];

export const BARC10_V1: ShippedDefinition = {
  id: '01936b2e-0000-7000-8000-00000000ba10',
  key: BARC10_KEY,
  version: 1,
  language: 'en',
  title: 'Brief Assessment of Recovery Capital (BARC-10)',
  source: 'Vilsaint CL, Kelly JF, Bergman BG, et al. Development and validation of a Brief Assessment of Recovery Capital (BARC-10). Drug and Alcohol Dependence, 2017.',
  items: BARC10_ITEMS.map((text, i) => ({ id: `q${i + 1}`, type: 'likert6_agreement', text })),
  scoring: { method: 'sum', thresholds: [{ flag: 'strong_recovery_capital', label: 'Strong recovery capital', atLeast: 47 }] },
};

/**
 * A short social-needs screen (the core domains of the CMS Accountable Health Communities
 * screening: housing, food, transportation, utilities, safety), yes / no. A "yes" suggests
 * directory service types: housing → housing (and recovery housing), food → food, transportation →
 * transportation; the directory has no utility-assistance or safety type, so utilities → housing
 * (housing programs run utility assistance) and safety → legal (protective orders) and mental
 * health (crisis counseling). The total counts the needs named.
 */
export const SOCIAL_NEEDS_V1: ShippedDefinition = {
  id: '01936b2e-0000-7000-8000-0000000050c1',
  key: SOCIAL_NEEDS_KEY,
  version: 1,
  language: 'en',
  title: 'Social needs screen',
  source: null,
  items: [
    { id: 'housing', type: 'yes_no', text: 'Are you worried about losing your housing, or do you not have a steady place to stay?', suggestsServiceTypes: ['housing', 'recovery_housing'] },
    { id: 'food', type: 'yes_no', text: 'In the past 12 months, did you worry that your food would run out before you had money to buy more?', suggestsServiceTypes: ['food'] },
    { id: 'transportation', type: 'yes_no', text: 'In the past 12 months, has a lack of reliable transportation kept you from appointments, work or getting things you need?', suggestsServiceTypes: ['transportation'] },
    { id: 'utilities', type: 'yes_no', text: 'In the past 12 months, has the electric, gas, oil or water company threatened to shut off services in your home?', suggestsServiceTypes: ['housing'] },
    { id: 'safety', type: 'yes_no', text: 'Do you feel unsafe where you live, or is anyone hurting, threatening or scaring you?', suggestsServiceTypes: ['legal', 'mental_health'] },
  ],
  scoring: { method: 'sum', thresholds: [{ flag: 'social_need', label: 'At least one social need', atLeast: 1 }] },
};

/** What migration 0011 seeds (a later version goes in a later migration, see above). */
export const SHIPPED_IN_0011: readonly ShippedDefinition[] = [BARC10_V1, SOCIAL_NEEDS_V1];

/**
 * The social-needs screen in Spanish (usted). It is Lodestar's own short screen, not a validated
 * instrument (BARC-10 stays English-only until a validated translation is published), so it is
 * translated like the rest of the interface: same items, same ids, same scoring and suggestions.
 */
export const SOCIAL_NEEDS_V1_ES: ShippedDefinition = {
  ...SOCIAL_NEEDS_V1,
  id: '01936b2e-0000-7000-8000-0000000050e5',
  language: 'es',
  title: 'Preguntas sobre necesidades sociales',
  items: [
    { id: 'housing', type: 'yes_no', text: '¿Le preocupa perder su vivienda, o no tiene un lugar estable donde quedarse?', suggestsServiceTypes: ['housing', 'recovery_housing'] },
    { id: 'food', type: 'yes_no', text: 'En los últimos 12 meses, ¿le preocupó que se le acabara la comida antes de tener dinero para comprar más?', suggestsServiceTypes: ['food'] },
    { id: 'transportation', type: 'yes_no', text: 'En los últimos 12 meses, ¿la falta de transporte confiable le impidió ir a citas, al trabajo o conseguir lo que necesita?', suggestsServiceTypes: ['transportation'] },
    { id: 'utilities', type: 'yes_no', text: 'En los últimos 12 meses, ¿la compañía de electricidad, gas, petróleo o agua amenazó con cortarle el servicio en su casa?', suggestsServiceTypes: ['housing'] },
    { id: 'safety', type: 'yes_no', text: '¿Se siente inseguro/a donde vive, o alguien le hace daño, le amenaza o le asusta?', suggestsServiceTypes: ['legal', 'mental_health'] },
  ],
};

/** What migration 0015 seeds. */
export const SHIPPED_IN_0015: readonly ShippedDefinition[] = [SOCIAL_NEEDS_V1_ES];

/** Insert shipped definitions as rows (organization_id NULL), as the migration that introduces them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function seedShipped(db: Kysely<any>, defs: readonly ShippedDefinition[], seededAt: string): Promise<void> {
  for (const d of defs) {
    await db
      .insertInto('questionnaire_definitions')
      .values({
        id: d.id,
        organization_id: null,
        key: d.key,
        version: d.version,
        language: d.language,
        title: d.title,
        source: d.source,
        items: JSON.stringify(d.items),
        scoring: JSON.stringify(d.scoring),
        status: 'active',
        created_by: null,
        created_at: seededAt,
      })
      .execute();
  }
}
