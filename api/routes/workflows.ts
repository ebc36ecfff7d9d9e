// Workflows: save (PUT, YAML or JSON), read, list, versions, delete.

import { DefinitionBody, WorkflowDetail, WorkflowList, WorkflowListQuery, WorkflowQuery, WorkflowSaved, WorkflowVersions } from '../../lib/contracts/api';
import { deleteWorkflow, getWorkflow, listVersions, listWorkflows, saveWorkflow } from '../../lib/server/workflows';
import { defineRoute } from '../route';

export const workflowRoutes = [
  defineRoute({
    method: 'GET',
    path: '/workflows',
    auth: 'user',
    summary: 'The workflows of the groups the caller is a member of, with their schedules and last runs',
    query: WorkflowListQuery,
    response: WorkflowList,
    async handler(ctx, { principal, query }) {
      return { status: 200, body: await listWorkflows(ctx.db, principal, { group: query.group }) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/workflows/:name',
    auth: 'user',
    summary: 'A workflow: its definition, version and next fire times',
    query: WorkflowQuery,
    response: WorkflowDetail,
    errors: [404],
    async handler(ctx, { principal, params, query }) {
      return { status: 200, body: await getWorkflow(ctx.db, principal, params.name, { version: query.version, now: ctx.now() }) };
    },
  }),

  defineRoute({
    method: 'PUT',
    path: '/workflows/:name',
    auth: 'user',
    summary: 'Save a workflow (create it or make a new version): the bare definition as YAML or JSON',
    description:
      'A `name` in the body must equal the path. 201 when created, 200 otherwise; a definition equal to the current version makes no new version. ' +
      'A definition that is not valid is refused with 422 and `details`: every problem as { path, message }.',
    body: DefinitionBody,
    validateBody: false,
    accepts: ['yaml', 'json'],
    response: WorkflowSaved,
    errors: [403, 404, 409, 422],
    async handler(ctx, { principal, params, body }) {
      const saved = await saveWorkflow(ctx.db, principal, params.name, body, ctx.now());
      return { status: saved.created ? 201 : 200, body: { name: saved.name, group: saved.group, version: saved.version } };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: '/workflows/:name',
    auth: 'user',
    summary: 'Delete a workflow with its versions, schedule and runs (409 while another workflow nests it or it has runs in progress)',
    status: 204,
    errors: [403, 404, 409],
    async handler(ctx, { principal, params }) {
      await deleteWorkflow(ctx.db, principal, params.name, ctx.now());
      return { status: 204 };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/workflows/:name/versions',
    auth: 'user',
    summary: 'A workflow’s versions, newest first',
    response: WorkflowVersions,
    errors: [404],
    async handler(ctx, { principal, params }) {
      return { status: 200, body: await listVersions(ctx.db, principal, params.name) };
    },
  }),
];
