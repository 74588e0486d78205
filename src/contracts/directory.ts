/**
 * The resource directory (Open Referral HSDS 3.0 shapes): search, an entry, editing by program
 * managers, and what any coach reports (capacity, pharmacy stock, "this entry is wrong").
 *
 * The code lists are stored: service types and insurance as bit positions in the search rows, so
 * **only append** to them, never reorder or remove.
 */
import { z } from 'zod';
import { Id, Version } from './common.js';
import { IsoDate } from './participants.js';

export const SERVICE_TYPES = [
  'otp_methadone', // opioid treatment program / methadone
  'buprenorphine', // buprenorphine prescriber
  'same_day_induction', // same-day or walk-in start
  'naltrexone',
  'withdrawal_management',
  'residential',
  'intensive_outpatient',
  'outpatient_counseling',
  'recovery_housing',
  'harm_reduction', // including syringe services
  'naloxone',
  'peer_support',
  'mutual_aid_na',
  'mutual_aid_aa',
  'mutual_aid_smart',
  'mutual_aid_mars', // medication-assisted recovery support groups
  'mutual_aid_all_recovery',
  'mental_health',
  'housing',
  'employment',
  'legal',
  'transportation',
  'food',
  'pharmacy',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const INSURANCE = ['medicaid', 'medicare', 'private', 'uninsured', 'sliding_scale'] as const;
export type Insurance = (typeof INSURANCE)[number];

/** What the disclosure gate matches TPO-class consents on. */
export const DIRECTORY_ORG_TYPES = ['treating_provider', 'health_plan', 'community_service', 'other'] as const;
export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export const FLAG_TOPICS = ['phone', 'address', 'hours', 'services', 'insurance', 'capacity', 'closed', 'other'] as const;
export const FORMULATIONS = ['bup_nal_film', 'bup_nal_tablet', 'bup_tablet', 'extended_release_injection', 'other'] as const;
export const ATTENDING_TYPES = ['in_person', 'online', 'hybrid'] as const;
export const PHONE_TYPES = ['voice', 'text', 'fax', 'cell', 'video', 'pager', 'textphone'] as const;
/** A stock report older than this many days is shown as stale. */
export const STOCK_STALE_DAYS = 30;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number) => z.string().trim().min(1, 'Enter a value, or leave it out').max(max, `Use at most ${max} characters`);
const Opt = <T extends z.ZodType>(s: T) => s.nullable().optional();
const Url = z.string().trim().max(500, 'Use at most 500 characters').regex(/^https?:\/\/\S+$/i, 'Enter a web address starting with https://');
const EmailText = z.string().trim().max(254).email('Enter an email address like name@example.org');
/** Two or three letters, ISO 639. */
export const LanguageCode = z.string().trim().toLowerCase().regex(/^[a-z]{2,3}$/, 'Use a two-letter language code, like es');
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time like 09:30');
const Count = z.number().int('Enter a whole number').min(0, 'Enter 0 or more').max(100_000, 'Enter at most 100000');
export const Latitude = z.number().min(-90, 'Latitude is between -90 and 90').max(90, 'Latitude is between -90 and 90');
export const Longitude = z.number().min(-180, 'Longitude is between -180 and 180').max(180, 'Longitude is between -180 and 180');
const uniqueList = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max).transform((a) => [...new Set(a)]);

// ---- search

export const DirectorySearchBody = z
  .object({
    /** Words matched at the start of any word of the names, kinds of service, city or postal code (one or two letters: the whole word, as NA or AA). */
    text: z.string().trim().max(100, 'Use at most 100 characters').optional(),
    /** Every one listed (e.g. buprenorphine and same-day start). */
    serviceTypes: uniqueList(choose(SERVICE_TYPES, 'a service type'), SERVICE_TYPES.length).optional(),
    /** Any one listed. */
    insurance: uniqueList(choose(INSURANCE, 'an insurance'), INSURANCE.length).optional(),
    acceptingNew: z.boolean().optional(),
    telehealth: z.boolean().optional(),
    language: LanguageCode.optional(),
    openNow: z.boolean().optional(),
    hasCapacity: z.boolean().optional(),
    /** Sort by distance from here… */
    point: z.object({ latitude: Latitude, longitude: Longitude }).optional(),
    /** …or from this site (its point is set in the directory). */
    siteId: Id.optional(),
    limit: z.number().int().min(1).max(50).default(20),
    offset: z.number().int().min(0).max(1000, 'Narrow the search instead of paging this far').default(0),
  })
  .refine((b) => !(b.point && b.siteId), { path: ['siteId'], message: 'Choose a site or a point, not both' });
export type DirectorySearchBody = z.input<typeof DirectorySearchBody>;

export const Capacity = z.object({
  bedsOpen: z.number().nullable(),
  slotsOpen: z.number().nullable(),
  waitlistLength: z.number().nullable(),
  updatedAt: z.string(),
});

export const Address = z.object({
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  city: z.string().nullable(),
  stateProvince: z.string().nullable(),
  postalCode: z.string().nullable(),
});

export const DirectorySearchResult = z.object({
  serviceId: z.string(),
  locationId: z.string().nullable(),
  serviceName: z.string(),
  organizationName: z.string(),
  organizationType: z.string(),
  locationName: z.string().nullable(),
  address: Address.nullable(),
  phone: z.string().nullable(),
  serviceTypes: z.array(z.string()),
  insurance: z.array(z.string()),
  languages: z.array(z.string()),
  acceptingNew: z.boolean().nullable(),
  telehealth: z.boolean(),
  capacity: Capacity.nullable(),
  /** null when no hours are known. */
  openNow: z.boolean().nullable(),
  openFlags: z.number(),
  lastVerifiedAt: z.string().nullable(),
  distanceKm: z.number().nullable(),
  distanceMiles: z.number().nullable(),
});
export type DirectorySearchResult = z.infer<typeof DirectorySearchResult>;

export const DirectorySearchResponse = z.object({
  results: z.array(DirectorySearchResult),
  hasMore: z.boolean(),
  /** The point distances are measured from (null: sorted by name). */
  origin: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
});
export type DirectorySearchResponse = z.infer<typeof DirectorySearchResponse>;

// ---- an entry

export const ScheduleInput = z
  .object({
    weekday: z.number().int().min(0, 'Choose a day (0 Sunday … 6 Saturday)').max(6, 'Choose a day (0 Sunday … 6 Saturday)'),
    opensAt: HHMM,
    closesAt: HHMM.nullable().optional(),
    attendingType: Opt(choose(ATTENDING_TYPES, 'how people attend')),
    meetingTypes: Opt(z.array(z.string().trim().min(1).max(10)).max(30)),
    description: Opt(Text(200)),
  });
export const Schedule = z.object({
  weekday: z.number(),
  opensAt: z.string(),
  closesAt: z.string().nullable(),
  attendingType: z.string().nullable(),
  meetingTypes: z.array(z.string()),
  description: z.string().nullable(),
});

export const PhoneInput = z.object({
  number: z.string().trim().max(40, 'Use at most 40 characters').refine((v) => v.replace(/\D/g, '').length >= 3, 'Enter a phone number'),
  extension: Opt(Text(20)),
  type: Opt(choose(PHONE_TYPES, 'a phone type')),
  description: Opt(Text(200)),
});
export const PhoneOut = z.object({ number: z.string(), extension: z.string().nullable(), type: z.string().nullable(), description: z.string().nullable() });

export const Person = z.object({ id: z.string(), name: z.string() }).nullable();

export const DirectoryOrganization = z.object({
  id: z.string(),
  name: z.string(),
  alternateName: z.string().nullable(),
  description: z.string().nullable(),
  type: z.string(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  phones: z.array(PhoneOut),
  source: z.string(),
  externalId: z.string().nullable(),
  version: z.number(),
});
export type DirectoryOrganization = z.infer<typeof DirectoryOrganization>;

export const DirectoryLocation = z.object({
  id: z.string(),
  directoryOrganizationId: z.string().nullable(),
  locationType: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  url: z.string().nullable(),
  address: Address,
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  transportation: z.string().nullable(),
  accessibility: z.string().nullable(),
  wheelchairAccessible: z.boolean().nullable(),
  schedules: z.array(Schedule),
  phones: z.array(PhoneOut),
  version: z.number(),
});
export type DirectoryLocation = z.infer<typeof DirectoryLocation>;

export const StockReport = z.object({
  id: z.string(),
  inStock: z.boolean(),
  formulation: z.string().nullable(),
  observedOn: z.string(),
  note: z.string().nullable(),
  reportedAt: z.string(),
  reportedBy: Person,
  /** Seen more than 30 days ago. */
  stale: z.boolean(),
});
export const Flag = z.object({
  id: z.string(),
  topic: z.string(),
  comment: z.string().nullable(),
  createdAt: z.string(),
  createdBy: Person,
});
export const CapacityOut = Capacity.extend({ updatedBy: Person });

export const DirectoryService = z.object({
  id: z.string(),
  name: z.string(),
  alternateName: z.string().nullable(),
  description: z.string().nullable(),
  url: z.string().nullable(),
  email: z.string().nullable(),
  status: z.string(),
  serviceTypes: z.array(z.string()),
  insurance: z.array(z.string()),
  languages: z.array(z.string()),
  acceptingNew: z.boolean().nullable(),
  telehealth: z.boolean(),
  eligibilityDescription: z.string().nullable(),
  feesDescription: z.string().nullable(),
  applicationProcess: z.string().nullable(),
  interpretationServices: z.string().nullable(),
  minimumAge: z.number().nullable(),
  maximumAge: z.number().nullable(),
  organization: DirectoryOrganization,
  locations: z.array(DirectoryLocation),
  /** Hours of the service itself (each location's own are on the location). */
  schedules: z.array(Schedule),
  phones: z.array(PhoneOut),
  capacity: CapacityOut.nullable(),
  /** Newest first, at most 5. */
  stockReports: z.array(StockReport),
  openFlags: z.array(Flag),
  openNow: z.boolean().nullable(),
  lastVerifiedAt: z.string().nullable(),
  lastVerifiedBy: Person,
  source: z.string(),
  externalId: z.string().nullable(),
  version: z.number(),
});
export type DirectoryService = z.infer<typeof DirectoryService>;

// ---- editing (program managers)

const OrganizationFields = {
  name: Text(200),
  alternateName: Opt(Text(200)),
  description: Opt(Text(4000)),
  type: choose(DIRECTORY_ORG_TYPES, 'a type'),
  email: Opt(EmailText),
  website: Opt(Url),
  phones: z.array(PhoneInput).max(10).optional(),
};
export const CreateDirectoryOrganizationBody = z.object(OrganizationFields);
export const UpdateDirectoryOrganizationBody = z.object({ ...OrganizationFields, name: OrganizationFields.name.optional(), type: OrganizationFields.type.optional(), version: Version });

export const DirectoryOrganizationList = z.object({ organizations: z.array(DirectoryOrganization) });
export const DirectoryOrganizationQuery = z.object({ name: z.string().trim().max(100).optional() });

const LocationFields = {
  directoryOrganizationId: Opt(Id),
  locationType: choose(['physical', 'postal', 'virtual'] as const, 'a location type').optional(),
  name: Opt(Text(200)),
  description: Opt(Text(4000)),
  url: Opt(Url),
  address1: Opt(Text(200)),
  address2: Opt(Text(200)),
  city: Opt(Text(100)),
  stateProvince: Opt(Text(100)),
  postalCode: Opt(Text(20)),
  country: Opt(Text(2)),
  latitude: Opt(Latitude),
  longitude: Opt(Longitude),
  transportation: Opt(Text(1000)),
  accessibility: Opt(Text(1000)),
  wheelchairAccessible: Opt(z.boolean()),
  schedules: z.array(ScheduleInput).max(50).optional(),
  phones: z.array(PhoneInput).max(10).optional(),
};
const bothOrNeither = (b: { latitude?: number | null | undefined; longitude?: number | null | undefined }) => (b.latitude == null) === (b.longitude == null);
export const CreateDirectoryLocationBody = z.object(LocationFields).refine(bothOrNeither, { path: ['longitude'], message: 'Give both latitude and longitude, or neither' });
export const UpdateDirectoryLocationBody = z.object({ ...LocationFields, version: Version });

const ServiceFields = {
  directoryOrganizationId: Id,
  name: Text(200),
  alternateName: Opt(Text(200)),
  description: Opt(Text(4000)),
  url: Opt(Url),
  email: Opt(EmailText),
  status: choose(SERVICE_STATUSES, 'a status').optional(),
  serviceTypes: uniqueList(choose(SERVICE_TYPES, 'a service type'), SERVICE_TYPES.length).optional(),
  insurance: uniqueList(choose(INSURANCE, 'an insurance'), INSURANCE.length).optional(),
  languages: uniqueList(LanguageCode, 30).optional(),
  acceptingNew: Opt(z.boolean()),
  telehealth: z.boolean().optional(),
  eligibilityDescription: Opt(Text(2000)),
  feesDescription: Opt(Text(2000)),
  applicationProcess: Opt(Text(2000)),
  interpretationServices: Opt(Text(500)),
  minimumAge: Opt(z.number().int().min(0).max(120)),
  maximumAge: Opt(z.number().int().min(0).max(120)),
  /** Where it is offered (replaces the list when given). */
  locationIds: uniqueList(Id, 50).optional(),
  /** The service's own hours (replace them when given). */
  schedules: z.array(ScheduleInput).max(50).optional(),
  phones: z.array(PhoneInput).max(10).optional(),
};
const ageOrder = (b: { minimumAge?: number | null | undefined; maximumAge?: number | null | undefined }) => b.minimumAge == null || b.maximumAge == null || b.minimumAge <= b.maximumAge;
export const CreateDirectoryServiceBody = z.object(ServiceFields).refine(ageOrder, { path: ['maximumAge'], message: 'The maximum age is below the minimum' });
export const UpdateDirectoryServiceBody = z
  .object({ ...ServiceFields, directoryOrganizationId: Id.optional(), name: ServiceFields.name.optional(), version: Version })
  .refine(ageOrder, { path: ['maximumAge'], message: 'The maximum age is below the minimum' });

// ---- reports (any coach)

export const CapacityBody = z
  .object({
    bedsOpen: Count.nullable().optional(),
    slotsOpen: Count.nullable().optional(),
    waitlistLength: Count.nullable().optional(),
    note: Opt(Text(500)),
  })
  .refine((b) => b.bedsOpen != null || b.slotsOpen != null || b.waitlistLength != null, { path: ['bedsOpen'], message: 'Give beds open, slots open or the waitlist length' });

export const StockBody = z.object({
  inStock: z.boolean({ message: 'Say whether buprenorphine is in stock' }),
  formulation: Opt(choose(FORMULATIONS, 'a formulation')),
  /** The local date it was seen (default today); not in the future. */
  observedOn: IsoDate.optional(),
  note: Opt(Text(500)),
});

export const FlagBody = z.object({
  topic: choose(FLAG_TOPICS, 'what is wrong'),
  comment: Opt(Text(1000)),
});

export const VerifyBody = z.object({ note: Opt(Text(500)) });
export const VerifyResult = z.object({ lastVerifiedAt: z.string(), flagsResolved: z.number() });

// ---- sites on the map

export const SitePoint = z.object({ siteId: z.string(), name: z.string(), latitude: z.number().nullable(), longitude: z.number().nullable() });
export const SitePointList = z.object({ sites: z.array(SitePoint) });
export const SitePointBody = z.object({ latitude: Latitude, longitude: Longitude });
