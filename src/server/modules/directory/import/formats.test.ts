/**
 * The format pieces without a database: CSV quoting (fields with commas, quotes and line breaks,
 * the line a row starts on), a zip made by another tool (Python's zipfile, deflated, in a folder),
 * the Meeting Guide address and attendance rules, and the HSDS schedule rules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HSDS_DIR, hsdsCsvExample } from '../../../../../test/fixtures/directory/feeds.js';
import { CsvError, parseCsv, writeCsv } from './csv.js';
import { readZip, writeZip } from './zip.js';
import { parseMeetingGuide } from './meeting-guide.js';
import { parseHsdsJson } from './hsds.js';

describe('CSV', () => {
  it('reads quoted commas, doubled quotes and line breaks, and knows the line each row starts on', () => {
    const t = parseCsv('\uFEFFid,name,description\r\n1,"Smith, Jones","She said ""hi""\nand left"\r\n2,Plain,\n');
    expect(t.header).toEqual(['id', 'name', 'description']);
    expect(t.rows).toEqual([
      { line: 2, values: { id: '1', name: 'Smith, Jones', description: 'She said "hi"\nand left' } },
      { line: 4, values: { id: '2', name: 'Plain', description: '' } },
    ]);
  });

  it('writes what it reads back', () => {
    const rows = [{ id: '1', note: 'a, "b"\nc', n: 3 }, { id: '2', note: null, n: undefined }];
    expect(parseCsv(writeCsv(['id', 'note', 'n'], rows)).rows.map((r) => r.values)).toEqual([
      { id: '1', note: 'a, "b"\nc', n: '3' },
      { id: '2', note: '', n: '' },
    ]);
  });

  it('names the line of an unclosed quote or a row longer than the header', () => {
    expect(() => parseCsv('id,name\n1,"open\n')).toThrow(CsvError);
    let caught: unknown;
    try {
      parseCsv('id,name\n1,a\n2,b,c\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CsvError);
    expect(caught).toMatchObject({ line: 3 });
  });
});

describe('zip', () => {
  it('reads an archive made by another tool (deflated, files in a folder) and its own', () => {
    const files = readZip(readFileSync(path.join(HSDS_DIR, 'csv-example.zip')), { maxBytes: 1_000_000 });
    expect(files).toEqual(hsdsCsvExample());
    expect(readZip(writeZip({ 'a.csv': 'x,y\n1,2\n', 'é.txt': 'ünïcode' }), { maxBytes: 1000 })).toEqual({ 'a.csv': 'x,y\n1,2\n', 'é.txt': 'ünïcode' });
  });

  it('refuses what is not a zip, and an archive that unpacks to more than the limit', () => {
    expect(() => readZip(Buffer.from('hello'), { maxBytes: 10 })).toThrow('not a zip');
    expect(() => readZip(writeZip({ 'big.csv': 'x'.repeat(5000) }), { maxBytes: 1000 })).toThrow('more than 1000 bytes');
  });
});

describe('Meeting Guide', () => {
  it('reads a formatted address, online-only meetings, several days, and temporarily closed', () => {
    const { model, errors } = parseMeetingGuide([
      { slug: 'a', name: 'Hybrid', day: 2, time: '18:30', formatted_address: '12 Elm St, Media, PA 19063, USA', conference_url: 'https://meet.example.org/a', types: ['O', 'TC'] },
      { slug: 'b', name: 'Online', day: [1, 4], time: '7:00', conference_url: 'https://meet.example.org/b' },
    ]);
    expect(errors).toEqual([]);
    expect(model.locations).toEqual([expect.objectContaining({ address1: '12 Elm St', city: 'Media', stateProvince: 'PA', postalCode: '19063', country: 'US' })]);
    expect(model.services.map((s) => [s.externalId, s.status, s.telehealth])).toEqual([
      ['a', 'temporarily closed', 1],
      ['b', 'active', 1],
    ]);
    expect(model.serviceAtLocations[0]!.schedules).toEqual([expect.objectContaining({ weekday: 2, opensAt: '18:30', attendingType: 'hybrid', meetingTypes: ['O', 'TC'] })]);
    // No place: the times belong to the service itself.
    expect(model.services[1]!.schedules.map((s) => [s.weekday, s.opensAt, s.attendingType])).toEqual([
      [1, '07:00', 'online'],
      [4, '07:00', 'online'],
    ]);
  });
});

describe('HSDS JSON', () => {
  it('keeps weekly hours, and reports monthly ones instead of failing', () => {
    const service = {
      id: '0e5b2b0c-6a55-4f3e-9d2b-0c1f6b1a2a01',
      name: 'Walk-in clinic',
      status: 'active',
      organization: { id: '0e5b2b0c-6a55-4f3e-9d2b-0c1f6b1a2a02', name: 'Clinic', description: 'A clinic' },
      schedules: [
        { id: '0e5b2b0c-6a55-4f3e-9d2b-0c1f6b1a2a03', freq: 'WEEKLY', byday: 'MO,WE', opens_at: '08:00:00', closes_at: '16:30:00' },
        { id: '0e5b2b0c-6a55-4f3e-9d2b-0c1f6b1a2a04', freq: 'MONTHLY', bymonthday: '1', opens_at: '09:00' },
      ],
    };
    const { model, errors, warnings } = parseHsdsJson(service);
    expect(errors).toEqual([]);
    expect(model.services[0]!.schedules.map((s) => [s.weekday, s.opensAt, s.closesAt])).toEqual([
      [1, '08:00', '16:30'],
      [3, '08:00', '16:30'],
    ]);
    expect(warnings).toEqual([expect.objectContaining({ field: 'schedules[1]', message: expect.stringContaining('only weekly') })]);
  });

  it('refuses a service with no organization and a byday that is not a day', () => {
    const { errors } = parseHsdsJson({ id: '0e5b2b0c-6a55-4f3e-9d2b-0c1f6b1a2a01', name: 'Orphan', status: 'active', schedules: [{ id: '0e5b2b0c-6a55-4f3e-9d2b-0c1f6b1a2a03', freq: 'WEEKLY', byday: 'XX', opens_at: '08:00' }] });
    expect(errors.map((e) => e.field)).toEqual(['organization_id']);
    const withOrg = parseHsdsJson({
      id: '0e5b2b0c-6a55-4f3e-9d2b-0c1f6b1a2a01',
      name: 'Clinic hours',
      status: 'active',
      organization: { id: '0e5b2b0c-6a55-4f3e-9d2b-0c1f6b1a2a02', name: 'Clinic', description: 'A clinic' },
      schedules: [{ id: '0e5b2b0c-6a55-4f3e-9d2b-0c1f6b1a2a03', freq: 'WEEKLY', byday: 'XX', opens_at: '08:00' }],
    });
    expect(withOrg.errors).toEqual([expect.objectContaining({ field: 'schedules[0].byday', message: expect.stringContaining('XX is not a day') })]);
  });
});
