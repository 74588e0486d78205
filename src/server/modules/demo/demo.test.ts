/**
 * The demo program on the current dialect: its fictional participants go through the real use
 * cases, so the demo coach's caseload shows the signals the seed promises, and the supervisor sees
 * both coaches' people.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signIn } from '../../../../test/helpers/factories.js';
import { seedDemo, type DemoLogin } from './demo.seed.js';

interface Row {
  displayName: string;
  flags: { key: string }[];
  openFollowUps: number;
}

describe('the demo program', () => {
  let t: TestApp;
  let logins: DemoLogin[];
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-11-27T15:00:00.000Z' });
    logins = await seedDemo(t.db, t.clock);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const caseloadOf = async (email: string, query = '') => {
    const login = logins.find((l) => l.email === email)!;
    const client = t.client();
    await signIn(client, login);
    const res = await client.get(`/api/v1/caseload${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Row[] }>().items;
  };

  it('gives the first coach four people whose flags show what the caseload is for, most urgent first', async () => {
    const items = await caseloadOf('coach@demo.lodestar.invalid');
    const flags = Object.fromEntries(items.map((i) => [i.displayName, i.flags.map((f) => f.key).sort()]));
    expect(flags).toEqual({
      // An overdose or ED visit starts the post-overdose follow-up plan: its outreach is due.
      'Marcus Hill': ['follow_up_due', 'recent_overdose'],
      'Jamie Rivera': ['follow_up_due', 'recent_ed_visit'],
      'Rosie Núñez': ['milestone_coming'],
      Dee: ['follow_up_due', 'no_follow_up_consent'],
    });
    expect(items[0]!.displayName).toBe('Marcus Hill');
    expect(items.find((i) => i.displayName === 'Jamie Rivera')!.openFollowUps).toBe(1);
  });

  it('lets the supervisor see both coaches’ people', async () => {
    const items = await caseloadOf('supervisor@demo.lodestar.invalid', '?scope=team');
    expect(items.map((i) => i.displayName).sort()).toEqual(['Dee', 'Jamie Rivera', 'Linh Tran', 'Marcus Hill', 'Rosie Núñez', 'Tyrone Baker']);
  });

  it('gives the demo partner a referral to answer, sent under Marcus’s consent', async () => {
    const login = logins.find((l) => l.email === 'partner@demo.lodestar.invalid')!;
    const client = t.client();
    await signIn(client, login);
    const res = await client.get('/api/v1/partner/referrals');
    expect(res.statusCode, res.body).toBe(200);
    const inbox = res.json<{ referrals: { personLabel: string | null; status: string; urgency: string }[] }>();
    expect(inbox.referrals).toEqual([expect.objectContaining({ personLabel: 'Marcus Hill', status: 'requested', urgency: 'urgent' })]);
  });
});
