// Must hold (issue 3): a viewer sees the workflow but cannot trigger it (no button, and the API
// refuses too); a user of another group cannot see it at all, by page, API or socket.
import { io } from 'socket.io-client';
import { USERS, courseUrl, expect, putWorkflow, signIn, test, tokenFor, triggerRun } from './fixtures';

const NAME = 'e2e-guarded';
let runId = 0;

test.beforeAll(async ({ request }) => {
  await putWorkflow(request, USERS.editor, NAME, `name: ${NAME}\ngroup: team-a\njobs:\n  only: { command: "echo guarded" }\n`);
  runId = await triggerRun(request, USERS.editor, NAME);
});

test('a viewer sees the workflow and its run but cannot trigger, cancel or rerun', async ({ page }) => {
  await signIn(page, USERS.viewer);
  await page.goto(`/workflows/${NAME}`);
  await expect(page.getByText(NAME).first()).toBeVisible();
  await expect(page.getByTestId('jobs-table').or(page.getByTestId('workflow-graph')).first()).toBeVisible();
  await expect(page.getByTestId('trigger-run')).toHaveCount(0);
  await expect(page.getByTestId('edit-workflow')).toHaveCount(0);

  // The API refuses too, with the browser's own session.
  const refused = await page.request.post(`/api/v1/workflows/${NAME}/runs`, { data: {} });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/operator/);

  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('job-state-only')).toHaveText('success', { timeout: 30_000 });
  await expect(page.getByTestId('rerun-run')).toHaveCount(0);
  await expect(page.getByTestId('cancel-run')).toHaveCount(0);
  const rerun = await page.request.post(`/api/v1/runs/${runId}/rerun`);
  expect(rerun.status()).toBe(403);
});

test('a user of another group cannot see it by page, API or socket', async ({ page, request }) => {
  await signIn(page, USERS.outsider);
  await page.goto('/workflows');
  await expect(page.getByText(NAME)).toHaveCount(0);
  await page.goto(`/workflows/${NAME}`);
  await expect(page.getByText(/not found/i).first()).toBeVisible();
  await expect(page.getByTestId('trigger-run')).toHaveCount(0);
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('run-error')).toContainText('not found');
  await expect(page.getByTestId('run-graph')).toHaveCount(0);

  for (const path of [`/api/v1/workflows/${NAME}`, `/api/v1/runs/${runId}`, `/api/v1/runs/${runId}/jobs/only/output`]) {
    const r = await page.request.get(path);
    expect(r.status(), path).toBe(404);
  }
  const listed = (await (await page.request.get('/api/v1/runs?limit=1000')).json()) as { runs: { id: number }[] };
  expect(listed.runs.map((r) => r.id)).not.toContain(runId);

  // The socket: the same check refuses the subscription (with an API token, as a script would).
  const token = await tokenFor(request, USERS.outsider);
  const socket = io(`${courseUrl()}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ack = (sub: object) => socket.timeout(5000).emitWithAck('subscribe', sub) as Promise<{ ok: boolean; error?: { message: string } }>;
    const byRun = await ack({ run: runId });
    expect(byRun.ok).toBe(false);
    const byWorkflow = await ack({ workflow: NAME });
    expect(byWorkflow.ok).toBe(false);
    // …while the editor's subscription to the same run is accepted.
    const editorSocket = io(`${courseUrl()}/live`, { auth: { token: await tokenFor(request, USERS.editor) }, transports: ['websocket'], reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => {
        editorSocket.once('connect', () => resolve());
        editorSocket.once('connect_error', reject);
      });
      const ok = (await editorSocket.timeout(5000).emitWithAck('subscribe', { run: runId })) as { ok: boolean };
      expect(ok.ok).toBe(true);
    } finally {
      editorSocket.close();
    }
  } finally {
    socket.close();
  }
});
