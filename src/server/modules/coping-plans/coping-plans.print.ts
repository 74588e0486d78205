/**
 * Plain words for coping and safety plans in English and Spanish: the 988 Lifeline line, the default
 * steps after an overdose, and the printable copies. Labels are translated here; the participant's
 * own words (triggers, reasons, names, steps they wrote) stay as written.
 */
import type { z } from 'zod';
import type { CopingPlanContent, PrintableCopingPlan, PrintableSafetyPlan, PrintLanguage, SafetyPlanContent } from '../../../contracts/coping-plans.js';

export const LIFELINE = { name: '988 Suicide & Crisis Lifeline', phone: '988', text: '988' } as const;

/** What to do after an overdose: short, plain, non-clinical. */
export const DEFAULT_OVERDOSE_STEPS: Record<PrintLanguage, readonly string[]> = {
  en: [
    'Call 911.',
    'Give naloxone (Narcan). Give a second dose after 2 to 3 minutes if they do not wake up.',
    'Give rescue breaths, or lay them on their side (recovery position).',
    'Stay with them until help arrives.',
    'Go to the emergency department, and call your coach in the next day or two.',
  ],
  es: [
    'Llame al 911.',
    'Dé naloxona (Narcan). Dé una segunda dosis después de 2 a 3 minutos si no despierta.',
    'Dé respiraciones de rescate, o acuéstela de lado (posición de recuperación).',
    'Quédese con la persona hasta que llegue la ayuda.',
    'Vaya a la sala de emergencias, y llame a su coach en uno o dos días.',
  ],
};

const WORDS = {
  en: {
    copingTitle: 'My plan for cravings and triggers',
    copingIntro: 'This is the plan we made together, in your own words. You can change it any time.',
    safetyTitle: 'My safety plan',
    safetyIntro: 'Keep this plan where you can find it. If you are in crisis, call or text 988 any time, day or night.',
    version: (n: number, on: string) => `Version ${n}, saved on ${on}`,
    sections: {
      triggers: 'What can set off cravings',
      warningSigns: 'Early warning signs',
      copingStrategies: 'Things that have helped me',
      peopleToCall: 'People I can call',
      safePlaces: 'Safe places I can go',
      reasonsForRecovery: 'My reasons for recovery',
    },
    empty: 'Nothing written yet.',
    lifeline: '988 Suicide & Crisis Lifeline: call or text 988',
    crisis: 'Who to call in a crisis',
    naloxone: 'Naloxone (Narcan)',
    naloxoneOnHand: { yes: 'I have naloxone with me or at home.', no: 'I do not have naloxone yet.', unknown: 'Not sure if I have naloxone.' },
    knownBy: (names: string) => `Who knows where it is: ${names}`,
    overdose: 'What to do after an overdose',
  },
  es: {
    copingTitle: 'Mi plan para los antojos y los detonantes',
    copingIntro: 'Este es el plan que hicimos juntos, con sus propias palabras. Puede cambiarlo cuando quiera.',
    safetyTitle: 'Mi plan de seguridad',
    safetyIntro: 'Guarde este plan donde pueda encontrarlo. Si está en crisis, llame o envíe un texto al 988 a cualquier hora, de día o de noche.',
    version: (n: number, on: string) => `Versión ${n}, guardada el ${on}`,
    sections: {
      triggers: 'Lo que puede despertar los antojos',
      warningSigns: 'Primeras señales de alerta',
      copingStrategies: 'Cosas que me han ayudado',
      peopleToCall: 'Personas a quienes puedo llamar',
      safePlaces: 'Lugares seguros a donde puedo ir',
      reasonsForRecovery: 'Mis razones para la recuperación',
    },
    empty: 'Todavía no hay nada escrito.',
    lifeline: '988 Línea de Prevención del Suicidio y Crisis: llame o envíe un texto al 988',
    crisis: 'A quién llamar en una crisis',
    naloxone: 'Naloxona (Narcan)',
    naloxoneOnHand: { yes: 'Tengo naloxona conmigo o en casa.', no: 'Todavía no tengo naloxona.', unknown: 'No sé si tengo naloxona.' },
    knownBy: (names: string) => `Quién sabe dónde está: ${names}`,
    overdose: 'Qué hacer después de una sobredosis',
  },
} as const;

const SECTION_KEYS = ['triggers', 'warningSigns', 'copingStrategies', 'peopleToCall', 'safePlaces', 'reasonsForRecovery'] as const;

export interface PrintMeta {
  language: PrintLanguage;
  participantName: string;
  /** The saved version and its local date, or null when never saved. */
  saved: { number: number; on: string } | null;
}

export function printableCopingPlan(c: CopingPlanContent, m: PrintMeta): z.infer<typeof PrintableCopingPlan> {
  const w = WORDS[m.language];
  return {
    language: m.language,
    title: w.copingTitle,
    participantName: m.participantName,
    intro: w.copingIntro,
    versionLine: m.saved ? w.version(m.saved.number, m.saved.on) : null,
    sections: SECTION_KEYS.map((key) => ({
      key,
      heading: w.sections[key],
      items: key === 'peopleToCall' ? c.peopleToCall.map((p) => `${p.name}: ${p.phone}`) : c[key],
      empty: w.empty,
    })),
  };
}

export function printableSafetyPlan(c: SafetyPlanContent, m: PrintMeta): z.infer<typeof PrintableSafetyPlan> {
  const w = WORDS[m.language];
  return {
    language: m.language,
    title: w.safetyTitle,
    participantName: m.participantName,
    intro: w.safetyIntro,
    versionLine: m.saved ? w.version(m.saved.number, m.saved.on) : null,
    crisisHeading: w.crisis,
    crisisContacts: [w.lifeline, ...c.crisisContacts.map((x) => `${x.name}: ${x.phone}`)],
    naloxoneHeading: w.naloxone,
    naloxoneLine: w.naloxoneOnHand[c.naloxoneOnHand],
    naloxoneKnownByLine: c.naloxoneKnownBy.length ? w.knownBy(c.naloxoneKnownBy.join(', ')) : null,
    overdoseHeading: w.overdose,
    overdoseSteps: c.overdoseSteps ?? [...DEFAULT_OVERDOSE_STEPS[m.language]],
  };
}
