/** Requests of the directory pages: search, an entry, reports (capacity, stock, problems), verify, edit. */
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type {
  CapacityBody,
  CreateDirectoryLocationBody,
  CreateDirectoryOrganizationBody,
  CreateDirectoryServiceBody,
  DirectoryLocation,
  DirectoryOrganization,
  DirectorySearchBody,
  DirectorySearchResponse,
  DirectoryService,
  FlagBody,
  SitePointList,
  StockBody,
  UpdateDirectoryServiceBody,
  VerifyResult,
} from '../../../contracts/directory';
import { api, newIdempotencyKey } from '../../app/api';
import { directoryEn } from './i18n';

export type SearchBodyT = DirectorySearchBody;
export type SearchResponseT = z.infer<typeof DirectorySearchResponse>;
export type SearchResultT = SearchResponseT['results'][number];
export type ServiceT = z.infer<typeof DirectoryService>;
export type SitesT = z.infer<typeof SitePointList>;

/** The codes, from the words for them (the contract's lists would bring zod into the bundle). */
export const SERVICE_TYPE_CODES = Object.keys(directoryEn.types) as (keyof typeof directoryEn.types)[];
export const INSURANCE_CODES = Object.keys(directoryEn.insurance) as (keyof typeof directoryEn.insurance)[];
export const FLAG_TOPIC_CODES = Object.keys(directoryEn.topics) as (keyof typeof directoryEn.topics)[];
export const FORMULATION_CODES = Object.keys(directoryEn.formulations) as (keyof typeof directoryEn.formulations)[];
export const ORG_TYPE_CODES = Object.keys(directoryEn.orgTypes) as (keyof typeof directoryEn.orgTypes)[];
export const STATUS_CODES = Object.keys(directoryEn.statuses) as (keyof typeof directoryEn.statuses)[];

export const directoryKeys = {
  sites: ['directory', 'sites'] as const,
  service: (id: string) => ['directory', 'service', id] as const,
};

export const searchDirectory = (body: SearchBodyT) => api.post<SearchResponseT>('/api/v1/directory/search', body);
export const getSites = () => api.get<SitesT>('/api/v1/directory/sites');
export const setSitePoint = (siteId: string, body: { latitude: number; longitude: number }) => api.put<SitesT['sites'][number]>(`/api/v1/directory/sites/${siteId}/point`, body);
export const getService = (id: string) => api.get<ServiceT>(`/api/v1/directory/services/${id}`);
export const reportCapacity = (id: string, body: z.input<typeof CapacityBody>) => api.post<ServiceT>(`/api/v1/directory/services/${id}/capacity`, body, { idempotencyKey: newIdempotencyKey() });
export const reportStock = (id: string, body: z.input<typeof StockBody>) => api.post<ServiceT>(`/api/v1/directory/services/${id}/stock`, body, { idempotencyKey: newIdempotencyKey() });
export const flagService = (id: string, body: z.input<typeof FlagBody>) => api.post<ServiceT>(`/api/v1/directory/services/${id}/flags`, body, { idempotencyKey: newIdempotencyKey() });
export const verifyService = (id: string) => api.post<z.infer<typeof VerifyResult>>(`/api/v1/directory/services/${id}/verify`, {});
export const updateService = (id: string, body: z.input<typeof UpdateDirectoryServiceBody>) => api.patch<ServiceT>(`/api/v1/directory/services/${id}`, body);
export const createOrganization = (body: z.input<typeof CreateDirectoryOrganizationBody>) =>
  api.post<z.infer<typeof DirectoryOrganization>>('/api/v1/directory/organizations', body, { idempotencyKey: newIdempotencyKey() });
export const createLocation = (body: z.input<typeof CreateDirectoryLocationBody>) => api.post<z.infer<typeof DirectoryLocation>>('/api/v1/directory/locations', body, { idempotencyKey: newIdempotencyKey() });
export const createService = (body: z.input<typeof CreateDirectoryServiceBody>) => api.post<ServiceT>('/api/v1/directory/services', body, { idempotencyKey: newIdempotencyKey() });
