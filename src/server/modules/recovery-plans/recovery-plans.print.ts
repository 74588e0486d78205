/**
 * The printable copy of a recovery plan in plain words, English or Spanish. Labels, domain names
 * and statuses are translated here; the participant's own words (goals, steps, notes) stay as
 * written.
 */
import type { z } from 'zod';
import type { GOAL_STATUSES, PRINT_LANGUAGES, PrintablePlan, RecoveryDomain, STEP_OWNERS } from '../../../contracts/recovery-plans.js';
import type { AgreementRecord, PlanRecord } from './recovery-plans.repository.js';

type Language = (typeof PRINT_LANGUAGES)[number];

const DOMAINS: Record<Language, Record<RecoveryDomain, string>> = {
  en: {
    substance_use: 'Substance use',
    moud_health: 'Medication (MOUD) and health',
    mental_wellbeing: 'Mental wellbeing',
    housing: 'Housing',
    employment_education: 'Work and education',
    family_relationships: 'Family and relationships',
    social_support_community: 'Support and community',
    legal: 'Legal matters',
    finances: 'Money',
    purpose_meaning: 'Purpose and meaning',
    spirituality: 'Spirituality',
  },
  es: {
    substance_use: 'Uso de sustancias',
    moud_health: 'Medicamento (MOUD) y salud',
    mental_wellbeing: 'Bienestar emocional',
    housing: 'Vivienda',
    employment_education: 'Trabajo y estudios',
    family_relationships: 'Familia y relaciones',
    social_support_community: 'Apoyo y comunidad',
    legal: 'Asuntos legales',
    finances: 'Dinero',
    purpose_meaning: 'Propósito y sentido',
    spirituality: 'Espiritualidad',
  },
};

const STATUSES: Record<Language, Record<(typeof GOAL_STATUSES)[number], string>> = {
  en: { active: 'Working on it', achieved: 'Reached', paused: 'On hold', dropped: 'Set aside' },
  es: { active: 'En marcha', achieved: 'Logrado', paused: 'En pausa', dropped: 'Dejado de lado' },
};

const WHO: Record<Language, Record<Exclude<(typeof STEP_OWNERS)[number], 'other'>, string>> = {
  en: { participant: 'Me', coach: 'My coach' },
  es: { participant: 'Yo', coach: 'Mi coach' },
};

const WORDS = {
  en: {
    title: 'My recovery plan',
    intro: 'This is the plan we made together. The goals are in your own words. You can change it any time.',
    version: (n: number, on: string) => `Version ${n}, saved on ${on}`,
    goal: 'Goal',
    area: 'Area of life',
    status: 'Where it stands',
    steps: 'Steps',
    who: 'Who',
    due: 'By when',
    notes: 'Progress',
    noGoals: 'No goals yet.',
    done: 'Done',
    notDone: 'Not yet',
    heading: (i: number) => `Goal ${i}`,
    agreed: (on: string, method: AgreementRecord['method']) => `I agreed to this plan on ${on}${method === 'verbal' ? ' (out loud, with a witness)' : ''}.`,
    nextReview: (on: string) => `We will look at this plan together again by ${on}.`,
  },
  es: {
    title: 'Mi plan de recuperación',
    intro: 'Este es el plan que hicimos juntos. Las metas están en tus propias palabras. Puedes cambiarlo cuando quieras.',
    version: (n: number, on: string) => `Versión ${n}, guardada el ${on}`,
    goal: 'Meta',
    area: 'Área de la vida',
    status: 'Cómo va',
    steps: 'Pasos',
    who: 'Quién',
    due: 'Para cuándo',
    notes: 'Avances',
    noGoals: 'Todavía no hay metas.',
    done: 'Hecho',
    notDone: 'Pendiente',
    heading: (i: number) => `Meta ${i}`,
    agreed: (on: string, method: AgreementRecord['method']) => `Acepté este plan el ${on}${method === 'verbal' ? ' (de palabra, con un testigo)' : ''}.`,
    nextReview: (on: string) => `Volveremos a revisar este plan juntos antes del ${on}.`,
  },
} as const;

/** A date in words for the language (the date itself, never shifted by a time zone). */
function dateWords(date: string, language: Language): string {
  const d = new Date(`${date.slice(0, 10)}T12:00:00Z`);
  return new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

export function printablePlan(
  plan: PlanRecord,
  o: { language: Language; participantName: string; savedOn: string; agreement: AgreementRecord | undefined; nextReviewOn: string | null },
): z.infer<typeof PrintablePlan> {
  const l = o.language;
  const w = WORDS[l];
  return {
    language: l,
    title: w.title,
    participantName: o.participantName,
    intro: w.intro,
    versionLine: w.version(plan.planVersion, dateWords(o.savedOn, l)),
    goals: plan.goals.map((g, i) => ({
      heading: w.heading(i + 1),
      domain: g.domain,
      domainLabel: DOMAINS[l][g.domain],
      text: g.text,
      status: g.status,
      statusLabel: STATUSES[l][g.status],
      steps: g.steps.map((s) => ({ text: s.text, who: s.owner === 'other' ? (s.ownerName ?? '') : WHO[l][s.owner], due: s.dueOn ? dateWords(s.dueOn, l) : null, done: s.done, doneLabel: s.done ? w.done : w.notDone })),
      notes: g.notes.map((n) => ({ on: dateWords(n.on, l), text: n.text })),
    })),
    labels: { goal: w.goal, area: w.area, status: w.status, steps: w.steps, who: w.who, due: w.due, notes: w.notes, noGoals: w.noGoals },
    agreementLine: o.agreement ? w.agreed(dateWords(o.agreement.agreedOn, l), o.agreement.method) : null,
    nextReviewLine: o.nextReviewOn ? w.nextReview(dateWords(o.nextReviewOn, l)) : null,
  };
}
