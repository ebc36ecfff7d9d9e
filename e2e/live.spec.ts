// Real time (issue 3): after a reconnect or a missed event the page resyncs from the API, so it
// never shows a stale state. The browser goes offline while the run moves on, then comes back.
import { USERS, expect, expectNotReloaded, getRun, markNoReload, putWorkflow, signIn, test, triggerRun } from './fixtures';

test('the run page resyncs after its connection was lost', async ({ page, context, request }) => {
  await putWorkflow(request, USERS.editor, 'e2e-offline', `name: e2e-offline\ngroup: team-a\njobs:\n  one: { command: "sleep 1" }\n  two: { command: "sleep 1", needs: [one] }\n  three: { command: "true", needs: [two] }\n`);
  await signIn(page, USERS.editor);
  const id = await triggerRun(request, USERS.editor, 'e2e-offline');
  await page.goto(`/runs/${id}`);
  await expect(page.getByTestId('live-mode')).toHaveAttribute('data-mode', 'socket');
  await expect(page.getByTestId('job-state-one')).toHaveText(/queued|executing/, { timeout: 30_000 });
  await markNoReload(page);

  await context.setOffline(true);
  // The run ends meanwhile (the test's own API client is not offline).
  await expect.poll(async () => (await getRun(request, USERS.editor, id)).state, { timeout: 30_000 }).toBe('success');
  await expect(page.getByTestId('job-state-three')).toHaveText('new'); // stale while offline
  await context.setOffline(false);

  for (const job of ['one', 'two', 'three']) await expect(page.getByTestId(`job-state-${job}`)).toHaveText('success', { timeout: 10_000 });
  await expect(page.getByTestId('run-state')).toHaveText('success');
  await expect(page.getByTestId('live-mode')).toHaveAttribute('data-mode', 'socket', { timeout: 10_000 });
  await expectNotReloaded(page);
});
