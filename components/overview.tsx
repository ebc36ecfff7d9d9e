'use client';
// The plain overview: workflows with their schedules and latest runs, and recent runs with each
// job's state as a word. Reads the API with the session cookie and refreshes every 2 s; an
// anonymous visitor is sent to /login.
import { useEffect, useState } from 'react';

interface WorkflowRow {
  name: string;
  group: string;
  version: number;
  description?: string | null;
  schedule?: { cron: string; timezone: string; enabled: boolean; nextFireAt?: string | null } | null;
  lastRuns?: { id: number; state: string }[];
}
interface RunRow {
  id: number;
  workflow: string;
  state: string;
  reason: string | null;
  trigger: string;
  createdAt: string;
  endedAt: string | null;
  jobRuns: { job: string; state: string; reason: string | null }[];
}

async function getJson<T>(path: string): Promise<T | 'signed-out'> {
  const r = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  if (r.status === 401) return 'signed-out';
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

export function Overview() {
  const [workflows, setWorkflows] = useState<WorkflowRow[]>([]);
  const [runs, setRuns] = useState<RunRow[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stop = false;
    const load = async () => {
      try {
        const [w, r] = await Promise.all([getJson<{ workflows: WorkflowRow[] }>('/api/v1/workflows'), getJson<{ runs: RunRow[] }>('/api/v1/runs?limit=30')]);
        if (w === 'signed-out' || r === 'signed-out') {
          window.location.href = '/login';
          return;
        }
        if (!stop) {
          setWorkflows(w.workflows);
          setRuns(r.runs);
          setError(null);
        }
      } catch (e) {
        if (!stop) setError((e as Error).message);
      }
    };
    void load();
    const timer = setInterval(load, 2000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <>
      {error ? <p className="error">{error}</p> : null}
      <h2>Workflows</h2>
      <table data-testid="workflows">
        <thead>
          <tr>
            <th>Name</th>
            <th>Group</th>
            <th>Version</th>
            <th>Schedule</th>
            <th>Latest runs</th>
          </tr>
        </thead>
        <tbody>
          {workflows.map((w) => (
            <tr key={w.name}>
              <td>{w.name}</td>
              <td>{w.group}</td>
              <td>{w.version}</td>
              <td>{w.schedule ? `${w.schedule.cron} (${w.schedule.timezone})${w.schedule.enabled ? '' : ', disabled'}` : '—'}</td>
              <td>
                {(w.lastRuns ?? []).map((r) => (
                  <span key={r.id} className={`state state-${r.state}`}>
                    #{r.id} {r.state}{' '}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Recent runs</h2>
      <table data-testid="runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Workflow</th>
            <th>State</th>
            <th>Trigger</th>
            <th>Created</th>
            <th>Jobs</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>#{r.id}</td>
              <td>{r.workflow}</td>
              <td>
                <span className={`state state-${r.state}`}>{r.state}</span>
                {r.reason ? <div>{r.reason}</div> : null}
              </td>
              <td>{r.trigger}</td>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
              <td>
                {r.jobRuns.map((j) => (
                  <span key={j.job} className={`state state-${j.state}`} title={j.reason ?? ''}>
                    {j.job}: {j.state}{' '}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
