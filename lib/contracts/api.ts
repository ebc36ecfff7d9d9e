// The user API's shapes (CONTRACT.md, "API"): what crosses HTTP between Course and its callers
// (CLI, GUI, scripts). The router validates requests with these schemas and GET
// /api/v1/openapi.json is generated from them, so the document cannot drift from the code.
// Imports zod only: the CLI and the GUI use these types too.

import { z } from 'zod';

// ---- building blocks ----------------------------------------------------------------------

/** An instant as ISO 8601 UTC, ending in `Z`. */
export const Instant = z.iso.datetime().meta({ description: 'ISO 8601 UTC, ending in Z' });
/** A wall-clock time with its UTC offset, e.g. `2026-03-29T03:00:00+02:00`. */
export const LocalTime = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 with the local UTC offset' });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'machine-readable, e.g. not_found, invalid_definition' }),
      message: z.string().meta({ description: 'what went wrong and what to do about it' }),
      details: z.unknown().optional().meta({ description: 'for definitions and inputs: a list of { path, message }' }),
    }),
  })
  .meta({ title: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Problem = z.object({ path: z.string(), message: z.string() });

export const ROLES = ['viewer', 'operator', 'editor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

// ---- auth ---------------------------------------------------------------------------------

export const Credentials = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
});

export const TokenRequest = Credentials.extend({
  name: z.string().min(1).max(100).optional().meta({ description: 'a label for the token, e.g. "laptop CLI"; default "api"' }),
});
export type TokenRequest = z.infer<typeof TokenRequest>;

export const TokenResponse = z.object({ token: z.string(), expiresAt: Instant });
export type TokenResponse = z.infer<typeof TokenResponse>;

export const SessionResponse = z.object({ username: z.string(), expiresAt: Instant });

export const Me = z.object({
  username: z.string(),
  isSiteAdmin: z.boolean(),
  groups: z.array(z.object({ name: z.string(), role: Role })),
});
export type Me = z.infer<typeof Me>;

// ---- workflows ----------------------------------------------------------------------------

/**
 * The definition as a request body (CONTRACT.md, "Definitions"). For the OpenAPI document only:
 * the domain's validator checks bodies, with messages that name the key and say what to fix.
 */
const Duration = z.union([z.string(), z.number()]).meta({ description: '<n>ms|s|m|h|d, or a number of seconds' });
const NotifyDoc = z
  .strictObject({
    onSuccess: z.array(z.record(z.string(), z.unknown())).optional(),
    onFailure: z.array(z.record(z.string(), z.unknown())).optional(),
    onRetry: z.array(z.record(z.string(), z.unknown())).optional(),
    onLongRunning: z.array(z.record(z.string(), z.unknown())).optional(),
    longRunningAfter: Duration.optional(),
  })
  .meta({ description: 'targets: { email: ADDRESS } or { webhook: URL, secret?, timeout? }' });
const JobDoc = z
  .strictObject({
    command: z.string().optional().meta({ description: 'run by /bin/sh -c; exactly one of command or workflow' }),
    workflow: z.string().optional().meta({ description: "a saved workflow's name (a nested workflow)" }),
    needs: z.union([z.string(), z.array(z.string())]).optional(),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    workdir: z.string().optional(),
    runsOn: z.union([z.string(), z.array(z.string())]).optional().meta({ description: 'executor labels' }),
    retries: z.number().int().min(0).optional(),
    retryDelay: Duration.optional(),
    timeout: Duration.optional(),
    killGrace: Duration.optional(),
    notify: NotifyDoc.optional(),
  })
  .meta({ title: 'Job' });
export const DefinitionBody = z
  .strictObject({
    name: z.string().optional().meta({ description: 'must equal the path when given' }),
    description: z.string().optional(),
    group: z.string().optional().meta({ description: 'default "default"' }),
    params: z.record(z.string(), z.strictObject({ default: z.string().optional(), description: z.string().optional() }).nullable()).optional(),
    timeout: Duration.optional(),
    notify: NotifyDoc.optional(),
    schedule: z
      .strictObject({
        cron: z.string().meta({ description: '5 fields or a macro' }),
        timezone: z.string().optional().meta({ description: 'IANA, default UTC' }),
        catchup: z.enum(['none', 'latest', 'all']).optional(),
        catchupLimit: z.number().int().min(1).optional(),
        overlap: z.enum(['skip', 'allow', 'queue']).optional(),
        enabled: z.boolean().optional(),
      })
      .optional(),
    jobs: z.record(z.string(), JobDoc),
  })
  .meta({ title: 'Definition', description: 'A workflow definition, YAML or JSON (CONTRACT.md, "Definitions")' });

export const WorkflowSaved = z.object({ name: z.string(), group: z.string(), version: z.number().int() });
export type WorkflowSaved = z.infer<typeof WorkflowSaved>;

export const FireTime = z.object({ utc: Instant, local: LocalTime });
export type FireTime = z.infer<typeof FireTime>;

export const ScheduleState = z.object({
  cron: z.string(),
  timezone: z.string(),
  catchup: z.string(),
  catchupLimit: z.number().int(),
  overlap: z.string(),
  enabled: z.boolean(),
  nextFireAt: Instant.nullable(),
  lastFireAt: Instant.nullable(),
});

export const WorkflowDetail = z.object({
  name: z.string(),
  group: z.string(),
  /** The version shown (the current one unless ?version= asked for another). */
  version: z.number().int(),
  currentVersion: z.number().int(),
  /** The stored, normalized definition (keys in CONTRACT order, defaults left out). */
  definition: z.record(z.string(), z.unknown()),
  createdAt: Instant,
  updatedAt: Instant,
  versionCreatedAt: Instant,
  versionCreatedBy: z.string().nullable(),
  schedule: ScheduleState.nullable(),
  /** The next 5 fire times of the current schedule ([] without an enabled schedule). */
  nextFireTimes: z.array(FireTime),
});
export type WorkflowDetail = z.infer<typeof WorkflowDetail>;

export const WorkflowQuery = z.object({
  version: z.coerce.number().int().min(1).optional().meta({ description: 'a past version; default the current one' }),
});

export const RunBrief = z.object({ id: z.number().int(), state: z.string(), createdAt: Instant, endedAt: Instant.nullable() });

export const WorkflowSummary = z.object({
  name: z.string(),
  group: z.string(),
  description: z.string().nullable(),
  version: z.number().int(),
  updatedAt: Instant,
  schedule: z.object({ cron: z.string(), timezone: z.string(), enabled: z.boolean(), nextFireAt: Instant.nullable() }).nullable(),
  lastRun: RunBrief.nullable(),
});

export const WorkflowList = z.object({ workflows: z.array(WorkflowSummary) });
export type WorkflowList = z.infer<typeof WorkflowList>;

export const WorkflowListQuery = z.object({ group: z.string().optional() });

export const WorkflowVersions = z.object({
  name: z.string(),
  currentVersion: z.number().int(),
  versions: z.array(z.object({ version: z.number().int(), createdAt: Instant, createdBy: z.string().nullable() })),
});
export type WorkflowVersions = z.infer<typeof WorkflowVersions>;

// ---- schedules ----------------------------------------------------------------------------

export const SchedulePreviewQuery = z.object({
  cron: z.string().meta({ description: '5 fields or a macro such as @daily' }),
  timezone: z.string().default('UTC').meta({ description: 'IANA time zone; default UTC' }),
  after: z.string().optional().meta({ description: 'ISO 8601 instant (or ms since epoch); default now' }),
  count: z.coerce.number().int().min(1).max(100).default(5),
});

export const SchedulePreview = z.object({ fireTimes: z.array(FireTime) });
export type SchedulePreview = z.infer<typeof SchedulePreview>;

// ---- health, executors --------------------------------------------------------------------

export const Health = z.object({
  web: z.literal('ok'),
  database: z.string().meta({ description: '"ok", or what failed' }),
  worker: z.object({
    state: z.enum(['ok', 'stale', 'unknown']).meta({ description: 'unknown: no heartbeat was ever written' }),
    lastSeenAt: Instant.nullable(),
  }),
  executors: z.object({ online: z.number().int(), lost: z.number().int() }),
});
export type Health = z.infer<typeof Health>;

export const ExecutorInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  state: z.string().meta({ description: 'online | lost' }),
  labels: z.array(z.string()),
  capacity: z.number().int(),
  lastSeenAt: Instant,
  createdAt: Instant,
  running: z.array(
    z.object({
      attemptId: z.number().int(),
      runId: z.number().int(),
      workflow: z.string(),
      job: z.string(),
      attempt: z.number().int(),
      startedAt: Instant.nullable(),
    }),
  ),
});

export const ExecutorList = z.object({ executors: z.array(ExecutorInfo) });
export type ExecutorList = z.infer<typeof ExecutorList>;

export const LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;
export const ExecutorTokenRequest = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'name: letters, digits, _ . -, starting with a letter or digit'),
  labels: z.array(z.string().regex(LABEL, 'labels: letters, digits, _ . : -')).max(50).optional(),
  capacity: z.number().int().min(1).max(1000).optional(),
});
export type ExecutorTokenRequest = z.infer<typeof ExecutorTokenRequest>;

export const ExecutorTokenResponse = z.object({
  id: z.number().int(),
  name: z.string(),
  labels: z.array(z.string()),
  capacity: z.number().int(),
  token: z.string().meta({ description: 'shown once: only its hash is stored' }),
});

// Runs: lib/contracts/runs.ts.
