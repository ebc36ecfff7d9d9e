// POST /admin/test-email without SMTP set up: a 409 that says what to set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, startTestApi, type TestApi } from '../../../api/testing';
import { issueToken } from '../auth/tokens';

describe('test email without COURSE_SMTP_URL', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    delete process.env.COURSE_SMTP_URL;
    api = await startTestApi();
    const id = await createTestUser(api.db, 'root', { siteAdmin: true });
    token = (await issueToken(api.db, id, { name: 't', now: api.clock.now })).token;
  });
  afterAll(async () => api?.close());

  it('409 naming COURSE_SMTP_URL', async () => {
    const r = await fetch(`${api.base}/admin/test-email`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ to: 'ops@example.com' }) });
    expect(r.status).toBe(409);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('smtp_not_configured');
    expect(body.error.message).toMatch(/set COURSE_SMTP_URL/);
    expect(api.logged).toEqual([]);
  });
});
