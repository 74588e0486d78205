/**
 * Table types of the resource directory (migration 0006-directory). HSDS 3.0 shapes; every row has
 * the Lodestar tenant `organization_id`; rows from a file carry `source` + `external_id` (unique per
 * organization and source when present). Codes (service types, insurance, organization type) are
 * listed in `src/contracts/directory.ts`. After writing source rows, call `refreshSearchRows` from
 * `modules/directory/directory.repository.ts` for the services touched: search reads only the
 * `directory_search_*` tables.
 */
import type { Generated } from 'kysely';

export interface DirectoryOrganizationsTable {
  id: string;
  organization_id: string;
  source: Generated<string>;
  external_id: string | null;
  name: string;
  alternate_name: string | null;
  description: string | null;
  /** treating_provider | health_plan | community_service | other (the disclosure gate matches on it). */
  type: Generated<string>;
  email: string | null;
  website: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface DirectoryServicesTable {
  id: string;
  organization_id: string;
  directory_organization_id: string;
  source: Generated<string>;
  external_id: string | null;
  name: string;
  alternate_name: string | null;
  description: string | null;
  url: string | null;
  email: string | null;
  /** active | inactive | defunct | temporarily closed (HSDS). */
  status: Generated<string>;
  /** JSON array of service type codes. */
  service_types: Generated<string>;
  /** JSON array of insurance codes. */
  insurance: Generated<string>;
  /** JSON array of ISO 639-1 language codes. */
  languages: Generated<string>;
  accepting_new: 0 | 1 | null;
  telehealth: Generated<0 | 1>;
  eligibility_description: string | null;
  fees_description: string | null;
  application_process: string | null;
  interpretation_services: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  beds_open: number | null;
  slots_open: number | null;
  waitlist_length: number | null;
  capacity_updated_at: string | null;
  capacity_updated_by: string | null;
  last_verified_at: string | null;
  last_verified_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface DirectoryLocationsTable {
  id: string;
  organization_id: string;
  directory_organization_id: string | null;
  source: Generated<string>;
  external_id: string | null;
  /** physical | postal | virtual */
  location_type: Generated<string>;
  name: string | null;
  description: string | null;
  url: string | null;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  state_province: string | null;
  postal_code: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  transportation: string | null;
  accessibility: string | null;
  wheelchair_accessible: 0 | 1 | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface DirectoryServiceAtLocationTable {
  id: string;
  organization_id: string;
  service_id: string;
  location_id: string;
  source: Generated<string>;
  external_id: string | null;
  description: string | null;
  created_at: string;
}

export interface DirectorySchedulesTable {
  id: string;
  organization_id: string;
  service_id: string | null;
  location_id: string | null;
  service_at_location_id: string | null;
  source: Generated<string>;
  external_id: string | null;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
  /** Local HH:MM. */
  opens_at: string;
  /** Local HH:MM; before opens_at = past midnight; null = no end time (one hour). */
  closes_at: string | null;
  /** in_person | online | hybrid */
  attending_type: string | null;
  /** JSON array of Meeting Guide type codes. */
  meeting_types: string | null;
  description: string | null;
  created_at: string;
}

export interface DirectoryPhonesTable {
  id: string;
  organization_id: string;
  directory_organization_id: string | null;
  service_id: string | null;
  location_id: string | null;
  service_at_location_id: string | null;
  source: Generated<string>;
  external_id: string | null;
  number: string;
  extension: string | null;
  type: string | null;
  description: string | null;
  created_at: string;
}

export interface DirectoryCapacityReportsTable {
  id: string;
  organization_id: string;
  service_id: string;
  beds_open: number | null;
  slots_open: number | null;
  waitlist_length: number | null;
  note: string | null;
  reported_by: string | null;
  reported_at: string;
}

export interface DirectoryStockReportsTable {
  id: string;
  organization_id: string;
  service_id: string;
  in_stock: 0 | 1;
  formulation: string | null;
  /** Local date the stock was seen. */
  observed_on: string;
  note: string | null;
  reported_by: string | null;
  reported_at: string;
}

export interface DirectoryFlagsTable {
  id: string;
  organization_id: string;
  service_id: string;
  topic: string;
  comment: string | null;
  created_by: string | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

export interface DirectorySitePointsTable {
  site_id: string;
  organization_id: string;
  latitude: number;
  longitude: number;
  updated_by: string | null;
  updated_at: string;
}

export interface DirectorySearchRowsTable {
  id: string;
  organization_id: string;
  service_id: string;
  location_id: string | null;
  latitude: number | null;
  longitude: number | null;
  sort_name: string;
  types_mask: number;
  insurance_mask: number;
  accepting_new: 0 | 1;
  telehealth: 0 | 1;
  has_capacity: 0 | 1;
  active: 0 | 1;
  summary: string;
}

export interface DirectorySearchTokensTable {
  organization_id: string;
  token: string;
  row_id: string;
  /** The row's coordinates (migration 0010), so text near a point reads one index range. */
  latitude: number | null;
  longitude: number | null;
}

export interface DirectorySearchHoursTable {
  row_id: string;
  weekday: number;
  opens_min: number;
  closes_min: number;
}

export interface DirectoryTables {
  directory_organizations: DirectoryOrganizationsTable;
  directory_services: DirectoryServicesTable;
  directory_locations: DirectoryLocationsTable;
  directory_service_at_location: DirectoryServiceAtLocationTable;
  directory_schedules: DirectorySchedulesTable;
  directory_phones: DirectoryPhonesTable;
  directory_capacity_reports: DirectoryCapacityReportsTable;
  directory_stock_reports: DirectoryStockReportsTable;
  directory_flags: DirectoryFlagsTable;
  directory_site_points: DirectorySitePointsTable;
  directory_search_rows: DirectorySearchRowsTable;
  directory_search_tokens: DirectorySearchTokensTable;
  directory_search_hours: DirectorySearchHoursTable;
}
