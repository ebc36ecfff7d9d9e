// The API's shapes as TypeScript types, inferred from the zod schemas in lib/contracts (types
// only: no zod reaches the browser bundle through this file).
import type { z } from 'zod';
import type * as A from '../../lib/contracts/api';
import type * as R from '../../lib/contracts/runs';
import type * as AD from '../../lib/contracts/admin';
import type * as N from '../../lib/contracts/notifications';

export type Role = A.Role;
export type Me = z.infer<typeof A.Me>;
export type FireTime = z.infer<typeof A.FireTime>;
export type WorkflowSummary = z.infer<typeof A.WorkflowSummary>;
export type WorkflowList = z.infer<typeof A.WorkflowList>;
export type WorkflowDetail = z.infer<typeof A.WorkflowDetail>;
export type WorkflowVersions = z.infer<typeof A.WorkflowVersions>;
export type WorkflowSaved = z.infer<typeof A.WorkflowSaved>;
export type SchedulePreview = z.infer<typeof A.SchedulePreview>;
export type ExecutorInfo = z.infer<typeof A.ExecutorInfo>;
export type ExecutorList = z.infer<typeof A.ExecutorList>;
export type Health = z.infer<typeof A.Health>;

export type RunState = (typeof R.RUN_STATES)[number];
export type JobState = (typeof R.JOB_STATES)[number];
export type Run = z.infer<typeof R.RunJson>;
export type JobRun = z.infer<typeof R.JobRunJson>;
export type Attempt = z.infer<typeof R.AttemptJson>;
export type RunListItem = z.infer<typeof R.RunListItem>;
export type RunList = z.infer<typeof R.RunList>;
export type TimelineEntry = z.infer<typeof R.TimelineEntry>;
export type Timeline = z.infer<typeof R.Timeline>;

// ---- admin, tokens, audit (lib/contracts/admin.ts), notifications ------------------------------

export type UserInfo = z.infer<typeof AD.UserInfo>;
export type UserList = z.infer<typeof AD.UserList>;
export type CreateUserBody = z.infer<typeof AD.CreateUserBody>;
export type UpdateUserBody = z.infer<typeof AD.UpdateUserBody>;
export type GroupInfo = z.infer<typeof AD.GroupInfo>;
export type GroupList = z.infer<typeof AD.GroupList>;
export type MemberInfo = z.infer<typeof AD.MemberInfo>;
export type MemberList = z.infer<typeof AD.MemberList>;
export type TokenInfo = z.infer<typeof AD.TokenInfo>;
export type CreatedToken = z.infer<typeof AD.CreatedToken>;
export type TokenList = z.infer<typeof AD.TokenList>;
export type AuditEntry = z.infer<typeof AD.AuditEntryJson>;
export type AuditList = z.infer<typeof AD.AuditList>;
export type TestEmailResult = z.infer<typeof N.TestEmailResult>;
