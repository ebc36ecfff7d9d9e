// The browser's live socket (web/live-hub.ts): Socket.io namespace `/live` on the web's own port.
// Nudges only: a page refetches from the API (the truth) when told something changed, and on
// every (re)connect, so a missed event costs latency, never a stale page.
//
// Authenticate: the browser's next-auth session cookie (sent with the handshake), or
// `io('/live', { auth: { token: API_TOKEN } })` for scripts. A refused handshake ends in
// `connect_error` with the reason as the message.
//
// Client → server (each acknowledged):
//   subscribe   { run: ID } | { workflow: NAME } | { dashboard: true }  → LiveAck
//   unsubscribe (the same)                                              → LiveAck
// Server → client:
//   run        RunNudge to `run:ID` (the run or any of its job runs changed) and to
//              `workflow:NAME` (a run of that workflow was created or changed)
//   dashboard  DashboardNudge to the dashboard rooms of the groups the socket's user may see
//   unsubscribed { room, error? } a subscription the user may no longer hold was left
//   resync     {} the page should refetch everything (after the user's access changed)
// A subscription passes the same permission check as the API (viewer in the workflow's group):
// a run or workflow the user may not see is refused with the API's 404 message. When a user's
// access changes (membership, role, disabled, password reset) the server runs their sockets'
// subscriptions through the check again; a disabled user's sockets are disconnected.
import { z } from 'zod';

export const LIVE_NAMESPACE = '/live';

export const LiveSubscribe = z.union([
  z.strictObject({ run: z.number().int().min(1) }),
  z.strictObject({ workflow: z.string().min(1).max(100) }),
  z.strictObject({ dashboard: z.literal(true) }),
]);
export type LiveSubscribe = z.infer<typeof LiveSubscribe>;

export type LiveAck = { ok: true; room: string } | { ok: false; error: { code: string; message: string } };

export interface RunNudge {
  id: number;
  workflow: string;
  state: string;
  /** The run's compare-and-set counter: it grows with every change to the run or its job runs. */
  version: number;
  /** When the server sent this nudge (ISO 8601 UTC). */
  at: string;
  parentRunId: number | null;
  rootRunId: number | null;
}

export interface DashboardNudge {
  /** The runs that changed (of groups the socket may see). */
  runs: { id: number; workflow: string; state: string; version: number }[];
  at: string;
}
