/**
 * The data dictionary of the research export: every column of every table, what it means and how
 * it was de-identified, and how each of the 18 Safe Harbor identifiers of 45 CFR
 * 164.514(b)(2)(i)(A)–(R) is handled. Served at GET /api/v1/research-export/dictionary and kept in
 * step with docs/RESEARCH-EXPORT.md; the tests check that every column exported is described here.
 */
import type { DictionaryColumn, ResearchExportDictionary } from '../../../contracts/research-export.js';
import { RESEARCH_EVENT_KINDS } from '../../../contracts/research-export.js';
import { DISCHARGE_REASONS, ETHNICITIES, INSURANCE_TYPES, RACES, SEX_AT_BIRTH } from '../../../contracts/participants.js';
import { ENCOUNTER_MODES, ENCOUNTER_TYPES } from '../../../contracts/encounters.js';
import { REFERRAL_STATUSES } from '../../../contracts/referrals.js';
import { APPOINTMENT_KINDS, APPOINTMENT_STATUSES } from '../../../contracts/appointments.js';
import { MOUD_MEDICATIONS } from '../../../contracts/moud-rules.js';
import { RESTRICTED_ZIP3 } from './restricted-zip3.js';

const STUDY_ID = 'A random 12-letter code drawn for this export only. It is not derived from any record, is not stored, and differs in every export, so rows cannot be linked to the organization\'s records or to another export (164.514(c)).';
const CODED = 'A code from a fixed list; any stored value outside the list is exported as "other" or left empty, so no free text leaves.';
const NO_DATE = 'Counted in whole days between local dates (the organization\'s time zone); the dates themselves are not exported (164.514(b)(2)(i)(C)).';

const col = (table: DictionaryColumn['table'], name: string, type: DictionaryColumn['type'], nullable: boolean, meaning: string, deidentification: string, values?: readonly string[]): DictionaryColumn => ({
  table,
  name,
  type,
  nullable,
  meaning,
  deidentification,
  ...(values && { values: [...values] }),
});

/** Only for the events of that kind; empty on other rows. */
const forKind = (kind: string) => `Only on "${kind}" rows; empty otherwise.`;

export const DICTIONARY_COLUMNS: readonly DictionaryColumn[] = [
  col('participants', 'study_id', 'string', false, 'The participant in this export (one row per participant with an episode in the cohort).', STUDY_ID),
  col('participants', 'year_of_birth', 'string', true, 'Year of birth (from the date of birth, or the estimated birth year).', 'Year only. "90+" for anyone aged 90 or over in the year of the export, with no year (164.514(b)(2)(i)(C)); the year is grouped as soon as the person may have turned 90 in that year.'),
  col('participants', 'sex', 'string', true, 'Sex assigned at birth, as the participant reported it.', CODED, SEX_AT_BIRTH),
  col('participants', 'race', 'string', true, 'Race categories (OMB), several joined by ";".', CODED, RACES),
  col('participants', 'ethnicity', 'string', true, 'Ethnicity (OMB).', CODED, ETHNICITIES),
  col('participants', 'insurance_type', 'string', true, 'Kind of coverage. The plan, member and group numbers are not exported (164.514(b)(2)(i)(I)).', CODED, INSURANCE_TYPES),
  col('participants', 'zip3', 'string', true, 'The first three digits of the ZIP code of residence.', `First three digits only; "000" where those digits form an area of 20,000 people or fewer (the ${RESTRICTED_ZIP3.length} prefixes listed in the dictionary's restrictedZip3); empty when no valid ZIP is known. Street, city and county are not exported (164.514(b)(2)(i)(B)).`),
  col('participants', 'enrollment_year', 'integer', false, 'Year of the participant\'s first enrollment in this export.', 'Year only (164.514(b)(2)(i)(C)).'),

  col('episodes', 'study_id', 'string', false, 'The participant (see participants.study_id).', STUDY_ID),
  col('episodes', 'episode_number', 'integer', false, 'The participant\'s episodes in this export numbered 1, 2, … in order of enrollment.', 'A sequence number within the export, not a record id.'),
  col('episodes', 'enrollment_year', 'integer', false, 'Year the episode began (enrollment: day 0).', 'Year only (164.514(b)(2)(i)(C)).'),
  col('episodes', 'days_to_discharge', 'integer', true, 'Days from enrollment to discharge; empty while the episode is open.', NO_DATE),
  col('episodes', 'discharge_reason', 'string', true, 'Why the episode ended; empty while open. The free-text reason is not exported.', CODED, DISCHARGE_REASONS),

  col('events', 'study_id', 'string', false, 'The participant (see participants.study_id).', STUDY_ID),
  col('events', 'episode_number', 'integer', false, 'The episode the event belongs to: of the participant\'s episodes in this export that cover its day (from 30 days before enrollment to discharge, or to the day of the export while open), the one enrolled last. Events outside every such episode are not exported.', 'A sequence number within the export, not a record id.'),
  col('events', 'kind', 'string', false, 'What happened: an ED visit, an inpatient admission, an overdose, a return to use, a contact or attempt (encounter), a referral, an appointment, an MOUD pharmacy fill, a BARC-10 answered.', 'A code. Notes, the participant\'s words and every other free text are not exported (164.514(b)(2)(i)(R)).', RESEARCH_EVENT_KINDS),
  col('events', 'days_since_enrollment', 'integer', false, 'Days from the episode\'s enrollment (day 0) to the event, on the organization\'s local calendar; negative for events up to 30 days before enrollment (the ED visit that led to it).', `${NO_DATE} The event's year is not exported either: with the enrollment year and this count it would narrow the enrollment date.`),
  col('events', 'fatal', 'boolean', true, `${forKind('overdose')} True when the person died: the participant's latest overdose on or before the discharge of an episode discharged as "deceased".`, 'A flag.'),
  col('events', 'encounter_type', 'string', true, forKind('encounter'), CODED, ENCOUNTER_TYPES),
  col('events', 'encounter_mode', 'string', true, forKind('encounter'), CODED, ENCOUNTER_MODES),
  col('events', 'reached', 'boolean', true, `${forKind('encounter')} Whether the contact reached the person.`, 'A flag.'),
  col('events', 'referral_status', 'string', true, forKind('referral'), CODED, REFERRAL_STATUSES),
  col('events', 'days_to_first_attended', 'integer', true, `${forKind('referral')} Days from the referral to the first attended appointment booked for it (or the linkage date recorded); empty when none.`, NO_DATE),
  col('events', 'appointment_kind', 'string', true, forKind('appointment'), `${CODED} Place, provider, telehealth link and notes are not exported.`, APPOINTMENT_KINDS),
  col('events', 'appointment_status', 'string', true, forKind('appointment'), CODED, APPOINTMENT_STATUSES),
  col('events', 'medication', 'string', true, forKind('moud_fill'), `${CODED} Prescriber and pharmacy are not exported.`, MOUD_MEDICATIONS),
  col('events', 'days_supply', 'integer', true, `${forKind('moud_fill')} Days of medication the fill covers.`, 'A count.'),
  col('events', 'barc10_total', 'integer', true, `${forKind('barc10')} BARC-10 total, 10–60 (47 or more predicts sustained remission).`, 'A score; the item answers are not exported.'),
];

/** 45 CFR 164.514(b)(2)(i)(A)–(R), and what the export does about each. */
export const SAFE_HARBOR_IDENTIFIERS: ResearchExportDictionary['identifiers'] = [
  { code: 'A', identifier: 'Names', handling: 'Never read: no participant, relative, emergency contact, signer, staff, provider or recipient name is selected from the database.' },
  { code: 'B', identifier: 'Geographic subdivisions smaller than a state', handling: 'Street address, city and county are never read. ZIP codes become their first three digits, or 000 for the restricted prefixes. Sites and directory services (which would locate the person) are not exported.' },
  { code: 'C', identifier: 'All elements of dates (except year) related to the individual; ages over 89', handling: 'Years only (birth, enrollment); event timing as whole days since enrollment; ages 90 and over grouped as "90+" with no year of birth.' },
  { code: 'D', identifier: 'Telephone numbers', handling: 'Never read (participant and emergency contact phones).' },
  { code: 'E', identifier: 'Fax numbers', handling: 'None held about participants; none exported.' },
  { code: 'F', identifier: 'Electronic mail addresses', handling: 'Never read.' },
  { code: 'G', identifier: 'Social security numbers', handling: 'Not collected by Lodestar; none exported.' },
  { code: 'H', identifier: 'Medical record numbers', handling: 'No record id, external id or record number of any kind is exported; rows carry a random study id.' },
  { code: 'I', identifier: 'Health plan beneficiary numbers', handling: 'The insurance member id is never read; only the kind of coverage is exported.' },
  { code: 'J', identifier: 'Account numbers', handling: 'None exported.' },
  { code: 'K', identifier: 'Certificate/license numbers', handling: 'None exported (staff credentials are not part of the dataset).' },
  { code: 'L', identifier: 'Vehicle identifiers and serial numbers', handling: 'Not collected; none exported.' },
  { code: 'M', identifier: 'Device identifiers and serial numbers', handling: 'Not collected; none exported.' },
  { code: 'N', identifier: 'Web URLs', handling: 'Telehealth links and other URLs are never read.' },
  { code: 'O', identifier: 'IP addresses', handling: 'Held only in sessions and the audit trail, which the export does not read.' },
  { code: 'P', identifier: 'Biometric identifiers', handling: 'Consent signatures (drawn images) are never read.' },
  { code: 'Q', identifier: 'Full-face photographs and comparable images', handling: 'Not collected; none exported.' },
  { code: 'R', identifier: 'Any other unique identifying number, characteristic or code', handling: 'Every exported value is a code from a fixed list, a year, a count or a flag; free text (notes, the participant\'s words, reasons, goals) is never read. Study ids are random per export (164.514(c)).' },
];

export function dictionary(): ResearchExportDictionary {
  return { method: 'hipaa_safe_harbor', columns: [...DICTIONARY_COLUMNS], identifiers: SAFE_HARBOR_IDENTIFIERS, restrictedZip3: [...RESTRICTED_ZIP3] };
}
