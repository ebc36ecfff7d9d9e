// Must hold (issue 3): a failing job shows `failure`, its reason and its output (non-UTF-8 bytes
// included); its dependants show `skipped` with theirs. Retries show as several attempts on the
// timeline; rerun and cancel work from the page for an operator (here: an editor).
import { USERS, expect, putWorkflow, screenshot, signIn, test, triggerRun } from './fixtures';

test('a failing job shows failure, its reason and output; its dependants are skipped', async ({ page, request }) => {
  await putWorkflow(
    request,
    USERS.editor,
    'e2e-failing',
    `name: e2e-failing
group: team-a
notify:
  onFailure: [ { webhook: "http://127.0.0.1:9/course-hook" } ]
jobs:
  prepare: { command: "echo preparing" }
  explode:
    command: "echo 'boom: the disk is on fire'; printf 'bad bytes: \\\\377\\\\376 end\\\\n'; exit 3"
    needs: [prepare]
    retries: 1
  after: { command: "echo never", needs: [explode] }
  last: { command: "echo never", needs: [after] }
`,
  );
  await signIn(page, USERS.editor);
  const id = await triggerRun(request, USERS.editor, 'e2e-failing');
  await page.goto(`/runs/${id}`);

  await expect(page.getByTestId('job-state-explode')).toHaveText('failure', { timeout: 30_000 });
  await expect(page.getByTestId('job-reason-explode')).toContainText('exit code 3');
  await expect(page.getByTestId('job-state-prepare')).toHaveText('success');
  await expect(page.getByTestId('job-state-after')).toHaveText('skipped');
  await expect(page.getByTestId('job-state-last')).toHaveText('skipped');
  await expect(page.getByTestId('job-reason-after')).toContainText('explode');
  await expect(page.getByTestId('run-state')).toHaveText('failure');

  // The failed job is opened by itself: its reason, both attempts, its output.
  await expect(page.getByTestId('job-panel-explode')).toBeVisible();
  await expect(page.getByTestId('job-panel-reason')).toContainText('exit code 3');
  await expect(page.getByTestId('attempt-2')).toBeVisible();
  await expect(page.getByTestId('job-output')).toContainText('boom: the disk is on fire');
  await expect(page.getByTestId('job-output')).toContainText('bad bytes: \uFFFD\uFFFD end');
  await expect(page.getByTestId('gantt-row-explode')).toHaveAttribute('data-attempts', '2');
  await expect(page.getByTestId('gantt-row-after')).toHaveAttribute('data-attempts', '0');

  // The debugging timeline and the failure notice's delivery (nothing listens on port 9: it is
  // being retried, with its error shown).
  await expect(page.getByTestId('run-events')).toContainText('explode attempt 1 failed (exit code 3); attempt 2 at');
  await expect(page.getByTestId('run-events')).toContainText('run failure: job explode failed: exit code 3');
  await expect(page.getByTestId('run-deliveries')).toContainText('run.failure');
  await expect(page.getByTestId('run-deliveries')).toContainText('webhook: http://127.0.0.1:9/course-hook');

  // A skipped job's reason, in its panel.
  await page.getByTestId('job-node-last').click();
  await expect(page.getByTestId('job-panel-reason')).toContainText(/after/);
  await screenshot(page, 'run-failure');

  // Rerun: a new run in which the successful job counts as done.
  await page.getByTestId('rerun-run').click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${id}$`));
  await expect(page.getByTestId('job-state-explode')).toHaveText('failure', { timeout: 30_000 });
});

test('an operator cancels a running run from its page', async ({ page, request }) => {
  await putWorkflow(request, USERS.editor, 'e2e-sleepy', `name: e2e-sleepy\ngroup: team-a\njobs:\n  nap: { command: "echo napping; sleep 60" }\n  after: { command: "true", needs: [nap] }\n`);
  await signIn(page, USERS.editor);
  const id = await triggerRun(request, USERS.editor, 'e2e-sleepy');
  await page.goto(`/runs/${id}`);
  await expect(page.getByTestId('job-state-nap')).toHaveText('executing', { timeout: 30_000 });
  // The dashboard meanwhile: this run executing, the failure of the test before (when it ran).
  await page.goto('/');
  await expect(page.getByText('e2e-sleepy').first()).toBeVisible();
  await screenshot(page, 'dashboard');
  await page.goto(`/runs/${id}`);
  await page.getByTestId('job-node-nap').click();
  await expect(page.getByTestId('job-output')).toContainText('napping');
  await expect(page.getByTestId('job-output-status')).toHaveAttribute('data-status', 'streaming');
  await page.getByTestId('cancel-run').click();
  await expect(page.getByTestId('run-state')).toHaveText('cancelled', { timeout: 30_000 });
  await expect(page.getByTestId('job-state-nap')).toHaveText('cancelled');
  await expect(page.getByTestId('job-state-after')).toHaveText('cancelled');
  await expect(page.getByTestId('run-reason')).toContainText(USERS.editor.username);
});

test("a nested workflow's job opens its child run", async ({ page, request }) => {
  await putWorkflow(request, USERS.editor, 'e2e-child', `name: e2e-child\ngroup: team-a\njobs:\n  inside: { command: "echo from the child" }\n`);
  await putWorkflow(request, USERS.editor, 'e2e-parent', `name: e2e-parent\ngroup: team-a\njobs:\n  first: { command: "true" }\n  nested: { workflow: e2e-child, needs: [first] }\n`);
  await signIn(page, USERS.editor);
  const id = await triggerRun(request, USERS.editor, 'e2e-parent');
  await page.goto(`/runs/${id}`);
  await expect(page.getByTestId('job-state-nested')).toHaveText('success', { timeout: 30_000 });
  const link = page.getByTestId('child-run-nested');
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${id}$`));
  await expect(page.getByTestId('run-view')).toContainText('e2e-child');
  await expect(page.getByTestId('job-state-inside')).toHaveText('success');
  await expect(page.getByTestId('parent-run')).toHaveAttribute('href', `/runs/${id}`);
});
