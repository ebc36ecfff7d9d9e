// The run shapes of the API (CONTRACT.md, "API"), as zod schemas: the router checks input with
// them and the OpenAPI document is generated from them.
import { z } from 'zod';

const Instant = z.iso.datetime();

export const RUN_STATES = ['new', 'executing', 'success', 'failure', 'cancelled'] as const;
export const JOB_STATES = ['new', 'queued', 'executing', 'success', 'failure', 'skipped', 'cancelled'] as const;

export const AttemptJson = z.object({
  number: z.number().int(),
  executor: z.string().nullable(),
  state: z.string().meta({ description: 'executing | success | failure | lost | cancelled' }),
  exitCode: z.number().int().nullable(),
  reason: z.string().nullable(),
  startedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  droppedBytes: z.number().int(),
});

export const JobRunJson = z.object({
  job: z.string(),
  state: z.enum(JOB_STATES),
  reason: z.string().nullable(),
  retryAt: Instant.nullable(),
  childRunId: z.number().int().nullable(),
  attempts: z.array(AttemptJson),
});

export const RunJson = z.object({
  id: z.number().int(),
  workflow: z.string(),
  group: z.string(),
  version: z.number().int(),
  state: z.enum(RUN_STATES),
  reason: z.string().nullable(),
  trigger: z.enum(['manual', 'schedule', 'rerun', 'parent']),
  params: z.record(z.string(), z.string()),
  nominalTime: Instant,
  createdAt: Instant,
  startedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  parentRunId: z.number().int().nullable(),
  rerunOf: z.number().int().nullable(),
  createdBy: z.string().nullable(),
  jobRuns: z.array(JobRunJson),
});

export const RunListItem = RunJson.omit({ jobRuns: true }).extend({
  jobRuns: z.array(z.object({ job: z.string(), state: z.enum(JOB_STATES), reason: z.string().nullable() })),
});
export const RunList = z.object({ runs: z.array(RunListItem) });

export const TriggerBody = z
  .object({ params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() })
  .strict();

export const RunListQuery = z.object({
  workflow: z.string().optional(),
  state: z.enum(RUN_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

export const RunIdParams = z.object({ id: z.coerce.number().int().positive() });
export const OutputParams = RunIdParams.extend({ job: z.string() });
export const OutputQuery = z.object({
  attempt: z.coerce.number().int().positive().optional(),
  follow: z.enum(['0', '1', 'true', 'false']).optional(),
});

export const TimelineEntry = z.object({
  at: Instant,
  kind: z.string(),
  job: z.string().nullable(),
  attempt: z.number().int().nullable(),
  message: z.string(),
  data: z.unknown().optional(),
});
export const Timeline = z.object({ runId: z.number().int(), events: z.array(TimelineEntry) });
