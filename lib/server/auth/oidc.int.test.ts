// Mapping an OIDC identity to an existing Course user, by username or by email, on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser } from '../../../api/testing';
import { openDatabase, type Database } from '../db/client';
import { writeTx } from '../db/write';
import { freshDatabaseUrl } from '../testing/postgres';
import { findOidcUser, readOidcSettings } from './oidc';

let db: Database;
const base = { COURSE_OIDC_ISSUER: 'https://id.example.com', COURSE_OIDC_CLIENT_ID: 'c', COURSE_OIDC_CLIENT_SECRET: 's' };

beforeAll(async () => {
  db = await openDatabase(await freshDatabaseUrl('sqlite'));
  const mia = await createTestUser(db, 'mia');
  await writeTx(db, (tx) => tx.user.update({ where: { id: mia }, data: { email: 'mia@example.com' } }));
  await createTestUser(db, 'dora', { disabled: true });
});
afterAll(async () => {
  await db.close();
});

describe('findOidcUser', () => {
  it('by username (the configured claim)', async () => {
    const s = readOidcSettings({ ...base, COURSE_OIDC_USERNAME_CLAIM: 'uid' })!;
    expect(await findOidcUser(db, s, { sub: '1', uid: 'mia' })).toEqual({ ok: true, user: { id: expect.any(Number), username: 'mia' } });
    expect(await findOidcUser(db, s, { sub: '1', preferred_username: 'mia' })).toMatchObject({ ok: false, code: 'oidc_no_username' });
    expect(await findOidcUser(db, s, { sub: '1', uid: 'zed' })).toMatchObject({ ok: false, code: 'oidc_no_user', message: 'no Course user has the username zed; ask a site admin to create one' });
    expect(await findOidcUser(db, s, { sub: '1', uid: 'dora' })).toMatchObject({ ok: false, code: 'user_disabled' });
  });

  it('by email, case-insensitively, refusing an address the provider did not verify', async () => {
    const s = readOidcSettings({ ...base, COURSE_OIDC_MATCH: 'email' })!;
    expect(await findOidcUser(db, s, { sub: '1', email: 'Mia@Example.com', email_verified: true })).toMatchObject({ ok: true, user: { username: 'mia' } });
    expect(await findOidcUser(db, s, { sub: '1', email: 'mia@example.com', email_verified: false })).toMatchObject({ ok: false, code: 'oidc_email_unverified' });
    expect(await findOidcUser(db, s, { sub: '1' })).toMatchObject({ ok: false, code: 'oidc_no_email' });
    expect(await findOidcUser(db, s, { sub: '1', email: 'other@example.com' })).toMatchObject({ ok: false, code: 'oidc_no_user' });
  });
});
