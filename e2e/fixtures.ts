// Shared helpers of the browser tests: the started Course's URL (from global-setup), sign-in
// through the real login page, API calls as a user, screenshots into e2e-artifacts/.
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import path from 'node:path';
import { USERS, type TestUser } from './env';

export { expect };
export { USERS };

export function courseUrl(): string {
  const url = process.env.COURSE_E2E_URL;
  if (!url) throw new Error('COURSE_E2E_URL is not set: run through playwright (global-setup starts Course)');
  return url;
}

export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(courseUrl());
  },
});

export const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'e2e-artifacts');

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Signs in through the login page as a person would, and waits to land on a signed-in page. */
export async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/user ?name/i).fill(user.username);
  await page.getByLabel(/password/i).fill(user.password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/\/login/, { timeout: 20_000 });
  await expect(page.getByTestId('current-user')).toHaveText(user.username);
}

const tokens = new Map<string, string>();

/** An API token for a test user (cached per user). */
export async function tokenFor(request: APIRequestContext, user: TestUser): Promise<string> {
  const known = tokens.get(user.username);
  if (known) return known;
  const r = await request.post(`${courseUrl()}/api/v1/auth/token`, { data: { username: user.username, password: user.password, name: 'e2e' } });
  expect(r.status(), await r.text()).toBe(201);
  const token = ((await r.json()) as { token: string }).token;
  tokens.set(user.username, token);
  return token;
}

/** Saves a workflow through the API (YAML) as `user`. */
export async function putWorkflow(request: APIRequestContext, user: TestUser, name: string, yaml: string): Promise<void> {
  const token = await tokenFor(request, user);
  const r = await request.put(`${courseUrl()}/api/v1/workflows/${name}`, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' }, data: yaml });
  expect([200, 201], await r.text()).toContain(r.status());
}

export async function triggerRun(request: APIRequestContext, user: TestUser, name: string): Promise<number> {
  const token = await tokenFor(request, user);
  const r = await request.post(`${courseUrl()}/api/v1/workflows/${name}/runs`, { headers: { authorization: `Bearer ${token}` }, data: {} });
  expect(r.status(), await r.text()).toBe(201);
  return ((await r.json()) as { id: number }).id;
}

export async function getRun(request: APIRequestContext, user: TestUser, id: number): Promise<{ state: string; jobRuns: { job: string; state: string; reason: string | null; attempts: { startedAt: string | null; endedAt: string | null }[] }[] }> {
  const token = await tokenFor(request, user);
  const r = await request.get(`${courseUrl()}/api/v1/runs/${id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status(), await r.text()).toBe(200);
  return r.json();
}

/** Marks the page so a later check can tell it was never reloaded. */
export async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __courseMark: number }).__courseMark = 42;
  });
}
export async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __courseMark?: number }).__courseMark)).toBe(42);
}

/**
 * Drags a dependency in a React Flow graph: from `from`'s source handle (right) onto `to`'s
 * target handle (left), with real mouse moves, as a person would.
 */
export async function dragEdge(page: Page, from: string, to: string): Promise<void> {
  const source = page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source`);
  const target = page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`);
  // Wait for the graph to hold still (a re-layout or a fit may have just moved it).
  let a = await source.boundingBox();
  let b = await target.boundingBox();
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(100);
    const a2 = await source.boundingBox();
    const b2 = await target.boundingBox();
    const still = a && b && a2 && b2 && a.x === a2.x && a.y === a2.y && b.x === b2.x && b.y === b2.y;
    a = a2;
    b = b2;
    if (still) break;
  }
  if (!a || !b) throw new Error(`handles of ${from} → ${to} not visible`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}
