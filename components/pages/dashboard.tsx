'use client';
// Dashboard (`/`): runs executing now with their elapsed time, recent failures with their
// reasons, and the next scheduled fires of the user's workflows.
import { useCallback, useState } from 'react';
import { apiGet } from '../api/client';
import type { RunListItem, RunList, WorkflowList, WorkflowSummary } from '../api/types';
import { useLive } from '../live/use-live';
import { StateBadge } from '../shell/state-badge';
import { durationBetween, formatDuration, formatLocal, formatRelative, formatUtc } from './format';
import { Empty, ErrorNote, Loading, Section, useNow } from './ui';

interface Data {
  executing: RunListItem[];
  waiting: RunListItem[];
  failures: RunListItem[];
  workflows: WorkflowSummary[];
}

export function Dashboard() {
  const [data, setData] = useState<Data | undefined>();
  const [error, setError] = useState<unknown>();
  const now = useNow(1000);

  const load = useCallback(async () => {
    try {
      const [executing, waiting, failures, workflows] = await Promise.all([
        apiGet<RunList>('/runs?state=executing&limit=100'),
        apiGet<RunList>('/runs?state=new&limit=50'),
        apiGet<RunList>('/runs?state=failure&limit=10'),
        apiGet<WorkflowList>('/workflows'),
      ]);
      setData({ executing: executing.runs, waiting: waiting.runs, failures: failures.runs, workflows: workflows.workflows });
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  }, []);
  useLive({ dashboard: true }, load, { pollMs: 3000, minGapMs: 500 });

  const fires = (data?.workflows ?? [])
    .filter((w) => w.schedule?.enabled && w.schedule.nextFireAt)
    .sort((a, b) => Date.parse(a.schedule!.nextFireAt!) - Date.parse(b.schedule!.nextFireAt!))
    .slice(0, 10);

  return (
    <>
      <h1>Dashboard</h1>
      <ErrorNote error={error} />
      {!data && !error ? <Loading /> : null}
      {data ? (
        <div className="grid-2">
          <Section title={`Executing now (${data.executing.length})`} testId="executing-runs">
            {data.executing.length === 0 && data.waiting.length === 0 ? (
              <Empty>No run is executing.</Empty>
            ) : (
              <table data-testid="executing-table">
                <thead>
                  <tr>
                    <th>Run</th>
                    <th>Workflow</th>
                    <th>State</th>
                    <th>Jobs</th>
                    <th>Elapsed</th>
                  </tr>
                </thead>
                <tbody>
                  {[...data.executing, ...data.waiting].map((r) => (
                    <tr key={r.id} data-testid={`executing-run-${r.id}`}>
                      <td>
                        <a href={`/runs/${r.id}`}>#{r.id}</a>
                      </td>
                      <td>
                        <a href={`/workflows/${encodeURIComponent(r.workflow)}`}>{r.workflow}</a>
                      </td>
                      <td>
                        <StateBadge state={r.state} label={`run ${r.id}`} />
                      </td>
                      <td>
                        <JobCounts run={r} />
                      </td>
                      <td className="num" data-testid="elapsed">
                        {formatDuration(durationBetween(r.startedAt ?? r.createdAt, null, now))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>

          <Section title="Next scheduled fires" testId="next-fires">
            {fires.length === 0 ? (
              <Empty>No enabled schedule.</Empty>
            ) : (
              <table data-testid="next-fires-table">
                <thead>
                  <tr>
                    <th>Workflow</th>
                    <th>Schedule</th>
                    <th>Next fire (local)</th>
                    <th>UTC</th>
                  </tr>
                </thead>
                <tbody>
                  {fires.map((w) => (
                    <tr key={w.name}>
                      <td>
                        <a href={`/workflows/${encodeURIComponent(w.name)}`}>{w.name}</a>
                      </td>
                      <td>
                        <code>{w.schedule!.cron}</code> <span className="muted">{w.schedule!.timezone}</span>
                      </td>
                      <td>
                        {formatLocal(w.schedule!.nextFireAt)} <span className="muted">({formatRelative(w.schedule!.nextFireAt, now)})</span>
                      </td>
                      <td className="muted">{formatUtc(w.schedule!.nextFireAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>
        </div>
      ) : null}
      {data ? (
        <Section title="Recent failures" testId="recent-failures">
          {data.failures.length === 0 ? (
            <Empty>No failed run.</Empty>
          ) : (
            <table data-testid="failures-table">
              <thead>
                <tr>
                  <th>Run</th>
                  <th>Workflow</th>
                  <th>State</th>
                  <th>Reason</th>
                  <th>Ended</th>
                </tr>
              </thead>
              <tbody>
                {data.failures.map((r) => (
                  <tr key={r.id} data-testid={`failed-run-${r.id}`}>
                    <td>
                      <a href={`/runs/${r.id}`}>#{r.id}</a>
                    </td>
                    <td>
                      <a href={`/workflows/${encodeURIComponent(r.workflow)}`}>{r.workflow}</a>
                    </td>
                    <td>
                      <StateBadge state={r.state} label={`run ${r.id}`} />
                    </td>
                    <td data-testid="failure-reason">
                      {r.reason ? <div>{r.reason}</div> : null}
                      {r.jobRuns
                        .filter((j) => j.state === 'failure')
                        .map((j) => (
                          <div key={j.job} className="muted">
                            <strong>{j.job}</strong>: {j.reason ?? 'failed'}
                          </div>
                        ))}
                    </td>
                    <td>
                      {formatLocal(r.endedAt)} <span className="muted">({formatRelative(r.endedAt, now)})</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      ) : null}
    </>
  );
}

/** `3 of 5 done · 1 executing · 1 queued`: a run's job runs counted by state, in words. */
export function JobCounts({ run }: { run: Pick<RunListItem, 'jobRuns'> }) {
  const counts = new Map<string, number>();
  for (const j of run.jobRuns) counts.set(j.state, (counts.get(j.state) ?? 0) + 1);
  const order = ['executing', 'queued', 'new', 'success', 'failure', 'skipped', 'cancelled'];
  return (
    <span className="job-counts">
      {order
        .filter((s) => counts.get(s))
        .map((s) => (
          <span key={s} className={`count state-${s}`}>
            {counts.get(s)} {s}
          </span>
        ))}
    </span>
  );
}
