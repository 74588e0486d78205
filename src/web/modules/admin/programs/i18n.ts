/** Words for a program's recovery settings (the program form and list): English, and Spanish (usted) mirroring it. */
import type { Widen } from '../../../app/i18n/widen';

export const programSettingsEn = {
  heading: 'Recovery settings',
  intro: 'These apply to everyone whose current episode is in this program.',
  cravingsAlertThreshold: 'Cravings alert level (1 to 10)',
  cravingsAlertThresholdHint: 'A check-in with cravings at or above this number asks the coach to reach out. The usual level is 7.',
  planReviewDays: 'Days between recovery plan reviews (14 to 365)',
  planReviewDaysHint: 'A review of the recovery plan is due this many days after the plan is made, agreed to or last reviewed. The usual is 90.',
  listCravings: 'Cravings alert',
  listCravingsValue: 'At {{n}} or more',
  listReview: 'Plan review',
  listReviewValue: 'Every {{n}} days',
  errors: {
    cravingsAlertThreshold: 'Enter a whole number from 1 to 10',
    planReviewDays: 'Enter a whole number of days from 14 to 365',
  },
};

export const programSettingsEs = {
  heading: 'Ajustes de recuperación',
  intro: 'Se aplican a todas las personas cuyo episodio actual es de este programa.',
  cravingsAlertThreshold: 'Nivel de alerta por deseos de consumir (1 a 10)',
  cravingsAlertThresholdHint: 'Un seguimiento con deseos de consumir en este número o más le pide al coach que se comunique con la persona. Lo habitual es 7.',
  planReviewDays: 'Días entre revisiones del plan de recuperación (14 a 365)',
  planReviewDaysHint: 'La revisión del plan de recuperación vence este número de días después de crear el plan, de que la persona lo acepte o de la última revisión. Lo habitual es 90.',
  listCravings: 'Alerta por deseos de consumir',
  listCravingsValue: 'En {{n}} o más',
  listReview: 'Revisión del plan',
  listReviewValue: 'Cada {{n}} días',
  errors: {
    cravingsAlertThreshold: 'Escriba un número entero del 1 al 10',
    planReviewDays: 'Escriba un número entero de días del 14 al 365',
  },
} satisfies Widen<typeof programSettingsEn>;
