// Must hold (issue 3): the YAML view and the graph editor stay in step both ways; validation
// errors show where they apply, a cycle highlights the cycle, the server's 422 shows the same way.
import { USERS, dragEdge, expect, screenshot, signIn, test } from './fixtures';

test('YAML and graph stay in step both ways; problems show on their job', async ({ page }) => {
  await signIn(page, USERS.editor);
  await page.goto('/workflows/e2e-yaml/edit?group=team-a');
  const yaml = page.getByTestId('yaml-editor');
  await expect(yaml).toHaveValue(/name: e2e-yaml/);

  // graph → YAML
  await page.getByTestId('add-job').click();
  await expect(yaml).toHaveValue(/jobs:\n\s+job-1:\n\s+command: echo job-1/);

  // YAML → graph
  await yaml.fill(`name: e2e-yaml
group: team-a
jobs:
  a: { command: "echo a" }
  b: { command: "echo b", needs: a }
  c: { command: "echo c" }
`);
  await expect(page.getByTestId('job-node-a')).toBeVisible();
  await expect(page.getByTestId('job-node-c')).toBeVisible();
  await expect(page.getByTestId('job-node-job-1')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge[data-id="a->b"]')).toHaveCount(1);

  // A drawn edge and a form edit go back into the YAML.
  await dragEdge(page, 'a', 'c');
  await expect(yaml).toHaveValue(/c:\n\s+command: echo c\n\s+needs:\n\s+- a/);
  await page.getByTestId('job-node-b').click();
  await page.getByTestId('job-retries').fill('3');
  await page.getByTestId('job-timeout').fill('10m');
  await page.getByTestId('env-add').click();
  await page.getByTestId('env-key-0').fill('MODE');
  await page.getByTestId('env-value-0').fill('full');
  await page.getByTestId('job-runs-on').fill('linux, big');
  await expect(yaml).toHaveValue(/b:\n\s+command: echo b\n\s+needs: a\n\s+env:\n\s+MODE: full\n\s+runsOn:\n\s+- linux\n\s+- big\n\s+retries: 3\n\s+timeout: 10m/);
  // …and the form follows a YAML edit of the selected job.
  await yaml.fill((await yaml.inputValue()).replace('retries: 3', 'retries: 5'));
  await expect(page.getByTestId('job-retries')).toHaveValue('5');

  // A field problem: on the node and under the field.
  await yaml.fill((await yaml.inputValue()).replace('retries: 5', 'retries: -1'));
  await expect(page.getByTestId('job-node-b')).toHaveAttribute('data-problem', 'true');
  await expect(page.getByTestId('problems-retries')).toBeVisible();
  await expect(page.getByTestId('editor-problems')).toContainText('jobs.b.retries');
  await yaml.fill((await yaml.inputValue()).replace('retries: -1', 'retries: 1'));
  await expect(page.getByTestId('editor-valid')).toBeVisible();

  // A cycle: its nodes and edges are highlighted, the problem names it.
  await yaml.fill((await yaml.inputValue()).replace('a:\n    command: echo a', 'a:\n    command: echo a\n    needs: [b]'));
  await expect(page.getByTestId('job-node-a')).toHaveAttribute('data-cycle', 'true');
  await expect(page.getByTestId('job-node-b')).toHaveAttribute('data-cycle', 'true');
  await expect(page.getByTestId('job-node-c')).not.toHaveAttribute('data-cycle', 'true');
  await expect(page.locator('.react-flow__edge.course-edge-cycle')).toHaveCount(2);
  await expect(page.getByTestId('editor-problems')).toContainText('cycle in needs');
  await screenshot(page, 'editor-cycle');

  // Deleting an edge of the cycle in the graph (select it, press Delete) breaks the cycle, in the
  // YAML too. (The two edges between a and b cross: whichever the click selects will do.)
  await page.locator('.react-flow__edge[data-id="b->a"]').click({ force: true });
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('job-node-a')).not.toHaveAttribute('data-cycle', 'true');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await expect(page.getByTestId('editor-valid')).toBeVisible();
  const after = await yaml.inputValue();
  expect(/a:\n\s+command: echo a\n\s+needs:\n\s+- b/.test(after) !== /b:\n\s+command: echo b\n\s+needs: a/.test(after)).toBe(true);

  // YAML that does not parse: said so, the graph keeps the last good version.
  await yaml.fill('name: e2e-yaml\njobs:\n  a: [unclosed\n');
  await expect(page.getByTestId('yaml-problems')).toContainText('YAML syntax error');
  await expect(page.getByTestId('job-node-a')).toBeVisible();
  await expect(page.getByTestId('job-node-b')).toBeVisible();

  // The server's 422 lands on its job too: a nested workflow that is not saved.
  await yaml.fill(`name: e2e-yaml
group: team-a
jobs:
  a: { command: "echo a" }
  nested: { workflow: not-saved-yet, needs: [a] }
`);
  await expect(page.getByTestId('editor-valid')).toBeVisible();
  await page.getByTestId('save-workflow').click();
  await expect(page.getByTestId('save-error')).toBeVisible();
  await expect(page.getByTestId('editor-problems')).toContainText('not-saved-yet');
  await expect(page.getByTestId('job-node-nested')).toHaveAttribute('data-problem', 'true');

  // Fixed, it saves: a new version.
  await yaml.fill(`name: e2e-yaml\ngroup: team-a\njobs:\n  a: { command: "echo a" }\n`);
  await page.getByTestId('save-workflow').click();
  await expect(page.getByTestId('save-status')).toContainText('version 1');
  await yaml.fill(`name: e2e-yaml\ngroup: team-a\njobs:\n  a: { command: "echo a2" }\n`);
  await page.getByTestId('save-workflow').click();
  await expect(page.getByTestId('save-status')).toContainText('version 2');
  // Reopened, the editor shows what was saved.
  await page.reload();
  await expect(yaml).toHaveValue(/command: echo a2/);
});
