/**
 * The directory's code lists (from `contracts/directory.ts`) as guards, and how outside codes map
 * onto them: FindTreatment.gov service codes and Meeting Guide meeting types (the list shipped in
 * `meeting-guide/types.json`, MIT, copied with its licence).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DIRECTORY_ORG_TYPES, INSURANCE, SERVICE_TYPES, type Insurance, type ServiceType } from '../../../../contracts/directory.js';

export const isServiceType = (c: string): c is ServiceType => (SERVICE_TYPES as readonly string[]).includes(c);
export const isInsurance = (c: string): c is Insurance => (INSURANCE as readonly string[]).includes(c);
export const isOrganizationType = (c: string): boolean => (DIRECTORY_ORG_TYPES as readonly string[]).includes(c);

/** Mutual-aid fellowships a Meeting Guide feed can be for (the format itself does not say). */
export const FELLOWSHIPS = { aa: 'mutual_aid_aa', na: 'mutual_aid_na', smart: 'mutual_aid_smart', mars: 'mutual_aid_mars', all_recovery: 'mutual_aid_all_recovery' } as const satisfies Record<string, ServiceType>;
export type Fellowship = keyof typeof FELLOWSHIPS;

let meetingTypes: Map<string, string> | undefined;
/** Meeting Guide type code → its English name. */
export function meetingGuideTypes(): Map<string, string> {
  meetingTypes ??= new Map(
    Object.entries(JSON.parse(readFileSync(path.join(import.meta.dirname, 'meeting-guide', 'types.json'), 'utf8')) as Record<string, { en: string }>).map(([code, names]) => [code, names.en]),
  );
  return meetingTypes;
}

/** Meeting Guide types that say the meeting is held in a language (ISO 639-1). */
export const MEETING_LANGUAGE_TYPES: Record<string, string> = { EN: 'en', S: 'es', FR: 'fr', POR: 'pt', POL: 'pl', RUS: 'ru', GR: 'de', ITA: 'it', JA: 'ja', KOR: 'ko', AR: 'ar', HI: 'hi', FA: 'fa' };

/**
 * FindTreatment.gov (SAMHSA locator) service codes that say something the directory filters on.
 * Codes not listed here are kept in the import report ("not mapped"), never silently dropped.
 */
export const FINDTREATMENT_CODES: Record<string, { serviceTypes?: ServiceType[]; insurance?: Insurance[]; telehealth?: true; language?: string }> = {
  // Opioid treatment and medications
  OTP: { serviceTypes: ['otp_methadone'] },
  MM: { serviceTypes: ['otp_methadone'] }, // methadone maintenance
  DM: { serviceTypes: ['otp_methadone', 'withdrawal_management'] }, // methadone detoxification
  MU: { serviceTypes: ['otp_methadone'] }, // methadone used in treatment
  BU: { serviceTypes: ['buprenorphine'] }, // buprenorphine used in treatment
  BUM: { serviceTypes: ['buprenorphine'] }, // buprenorphine maintenance
  BMW: { serviceTypes: ['buprenorphine'] }, // buprenorphine maintenance for a predetermined time
  BWN: { serviceTypes: ['buprenorphine'] }, // buprenorphine without naloxone
  BWON: { serviceTypes: ['buprenorphine'] },
  BSDM: { serviceTypes: ['buprenorphine'] }, // buprenorphine sub-dermal implant
  DB: { serviceTypes: ['buprenorphine', 'withdrawal_management'] }, // buprenorphine detoxification
  NU: { serviceTypes: ['naltrexone'] }, // naltrexone (oral)
  NXN: { serviceTypes: ['naltrexone'] },
  VTRL: { serviceTypes: ['naltrexone'] }, // extended-release injectable naltrexone
  // Settings
  DT: { serviceTypes: ['withdrawal_management'] },
  OD: { serviceTypes: ['withdrawal_management'] },
  RD: { serviceTypes: ['withdrawal_management', 'residential'] },
  HID: { serviceTypes: ['withdrawal_management'] },
  RES: { serviceTypes: ['residential'] },
  RS: { serviceTypes: ['residential'] },
  RL: { serviceTypes: ['residential'] },
  OIT: { serviceTypes: ['intensive_outpatient'] },
  OP: { serviceTypes: ['outpatient_counseling'] },
  ORT: { serviceTypes: ['outpatient_counseling'] },
  HH: { serviceTypes: ['recovery_housing'] }, // transitional housing, halfway house, sober home
  MH: { serviceTypes: ['mental_health'] },
  SUMH: { serviceTypes: ['mental_health'] }, // co-occurring
  PEER: { serviceTypes: ['peer_support'] },
  NAL: { serviceTypes: ['naloxone'] },
  NOD: { serviceTypes: ['naloxone'] },
  SSP: { serviceTypes: ['harm_reduction'] },
  HRS: { serviceTypes: ['harm_reduction'] },
  TELE: { telehealth: true },
  // Payment
  MD: { insurance: ['medicaid'] },
  MC: { insurance: ['medicare'] },
  PI: { insurance: ['private'] },
  SF: { insurance: ['uninsured'] }, // cash or self-payment
  SS: { insurance: ['sliding_scale'] },
  PA: { insurance: ['sliding_scale'] }, // payment assistance
  // Language
  SP: { language: 'es' },
};
