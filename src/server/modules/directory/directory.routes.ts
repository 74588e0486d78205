/** HTTP for search, read and edit the resource directory, flag and verify entries, report pharmacy stock and capacity: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, Ok } from '../../../contracts/common.js';
import {
  CapacityBody,
  CreateDirectoryLocationBody,
  CreateDirectoryOrganizationBody,
  CreateDirectoryServiceBody,
  DirectoryLocation,
  DirectoryOrganization,
  DirectoryOrganizationList,
  DirectoryOrganizationQuery,
  DirectorySearchBody,
  DirectorySearchResponse,
  DirectoryService,
  FlagBody,
  SitePoint,
  SitePointBody,
  SitePointList,
  StockBody,
  UpdateDirectoryLocationBody,
  UpdateDirectoryOrganizationBody,
  UpdateDirectoryServiceBody,
  VerifyBody,
  VerifyResult,
} from '../../../contracts/directory.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './directory.usecases.js';

export const directoryRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['directory'];

  // ---- find

  app.post('/api/v1/directory/search', {
    schema: { tags, summary: 'Search services: free text and filters, nearest first from a point or a site (distances in km and miles), open now, a page at a time', body: DirectorySearchBody, response: { 200: DirectorySearchResponse } },
    config: { access: can('directory.read') },
  }, async (req) => read(req, (ctx) => uc.search(ctx, req.body)));

  app.get('/api/v1/directory/services/:id', {
    schema: { tags, summary: 'One service: its organization, locations, hours, phones, capacity, stock reports and open flags', params: IdParams, response: { 200: DirectoryService } },
    config: { access: can('directory.read') },
  }, async (req) => read(req, (ctx) => uc.getService(ctx, req.params.id)));

  app.get('/api/v1/directory/organizations', {
    schema: { tags, summary: 'Directory organizations by name (at most 50)', querystring: DirectoryOrganizationQuery, response: { 200: DirectoryOrganizationList } },
    config: { access: can('directory.read') },
  }, async (req) => read(req, async (ctx) => ({ organizations: await uc.listOrganizations(ctx, req.query.name) })));

  app.get('/api/v1/directory/sites', {
    schema: { tags, summary: "The organization's sites and where each is on the map (to search near one)", response: { 200: SitePointList } },
    config: { access: can('directory.read') },
  }, async (req) => read(req, (ctx) => uc.listSitePoints(ctx)));

  // ---- report (anyone on the team)

  app.post('/api/v1/directory/services/:id/capacity', {
    schema: { tags, summary: 'Report beds or slots open and the waitlist length (who and when are recorded)', params: IdParams, body: CapacityBody, response: { 200: DirectoryService } },
    config: { access: can('directory.report') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.reportCapacity(ctx, req.params.id, req.body)));

  app.post('/api/v1/directory/services/:id/stock', {
    schema: { tags, summary: 'Report whether a pharmacy has buprenorphine in stock (older than 30 days shows as stale)', params: IdParams, body: StockBody, response: { 200: DirectoryService } },
    config: { access: can('directory.report') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.reportStock(ctx, req.params.id, req.body)));

  app.post('/api/v1/directory/services/:id/flags', {
    schema: { tags, summary: '"This entry is wrong": shown until a program manager verifies the entry', params: IdParams, body: FlagBody, response: { 200: DirectoryService } },
    config: { access: can('directory.report') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.flagService(ctx, req.params.id, req.body)));

  // ---- manage (program managers, admins)

  app.post('/api/v1/directory/services/:id/verify', {
    schema: { tags, summary: 'Mark the entry verified today: resolves its open flags', params: IdParams, body: VerifyBody, response: { 200: VerifyResult } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.verifyService(ctx, req.params.id, req.body)));

  app.post('/api/v1/directory/organizations', {
    schema: { tags, summary: 'Add a directory organization', body: CreateDirectoryOrganizationBody, response: { 201: DirectoryOrganization } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createOrganization(ctx, req.body));
  });

  app.patch('/api/v1/directory/organizations/:id', {
    schema: { tags, summary: 'Change a directory organization (409 on a stale version)', params: IdParams, body: UpdateDirectoryOrganizationBody, response: { 200: DirectoryOrganization } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateOrganization(ctx, req.params.id, req.body)));

  app.delete('/api/v1/directory/organizations/:id', {
    schema: { tags, summary: 'Remove a directory organization that has no services or locations left', params: IdParams, response: { 200: Ok } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.deleteOrganization(ctx, req.params.id)));

  app.post('/api/v1/directory/locations', {
    schema: { tags, summary: 'Add a location (address, coordinates, accessibility, hours)', body: CreateDirectoryLocationBody, response: { 201: DirectoryLocation } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createLocation(ctx, req.body));
  });

  app.patch('/api/v1/directory/locations/:id', {
    schema: { tags, summary: 'Change a location (409 on a stale version)', params: IdParams, body: UpdateDirectoryLocationBody, response: { 200: DirectoryLocation } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateLocation(ctx, req.params.id, req.body)));

  app.delete('/api/v1/directory/locations/:id', {
    schema: { tags, summary: 'Remove a location no service is offered at', params: IdParams, response: { 200: Ok } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.deleteLocation(ctx, req.params.id)));

  app.post('/api/v1/directory/services', {
    schema: { tags, summary: 'Add a service (types, insurance, languages, where, hours, phones)', body: CreateDirectoryServiceBody, response: { 201: DirectoryService } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createService(ctx, req.body));
  });

  app.patch('/api/v1/directory/services/:id', {
    schema: { tags, summary: 'Change a service (409 on a stale version); lists given replace the old ones', params: IdParams, body: UpdateDirectoryServiceBody, response: { 200: DirectoryService } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateService(ctx, req.params.id, req.body)));

  app.delete('/api/v1/directory/services/:id', {
    schema: { tags, summary: 'Remove a service with its hours, phones, reports and flags', params: IdParams, response: { 200: Ok } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.deleteService(ctx, req.params.id)));

  app.put('/api/v1/directory/sites/:id/point', {
    schema: { tags, summary: "Set where a site is on the map (to search near it)", params: IdParams, body: SitePointBody, response: { 200: SitePoint } },
    config: { access: can('directory.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.setSitePoint(ctx, req.params.id, req.body)));
};
