'use client';
// Workflows (`/workflows`): search by name or description, filter by group, each workflow with
// the states of its last runs (words and colour), its schedule and version.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { apiGet } from '../api/client';
import type { RunList, RunListItem, WorkflowList } from '../api/types';
import { useLive } from '../live/use-live';
import { NewWorkflowForm } from '../editor';
import { useMe } from '../shell/me';
import { canEditSomewhere } from '../shell/roles';
import { StateBadge } from '../shell/state-badge';
import { formatLocal, formatRelative } from './format';
import { Empty, ErrorNote, Loading, useNow } from './ui';

const LAST_RUNS = 5;

function readQuery(): { q: string; group: string } {
  if (typeof window === 'undefined') return { q: '', group: '' };
  const p = new URLSearchParams(window.location.search);
  return { q: p.get('q') ?? '', group: p.get('group') ?? '' };
}

export function WorkflowsList() {
  const [workflows, setWorkflows] = useState<WorkflowList['workflows'] | undefined>();
  const [runs, setRuns] = useState<Map<string, RunListItem[]>>(new Map());
  const [error, setError] = useState<unknown>();
  const [q, setQ] = useState('');
  const [group, setGroup] = useState('');
  const { me } = useMe();
  const now = useNow(10_000);

  useEffect(() => {
    const init = readQuery();
    setQ(init.q);
    setGroup(init.group);
  }, []);
  useEffect(() => {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (group) p.set('group', group);
    const qs = p.toString();
    window.history.replaceState(null, '', qs ? `?${qs}` : window.location.pathname);
  }, [q, group]);

  const load = useCallback(async () => {
    try {
      const [w, r] = await Promise.all([apiGet<WorkflowList>('/workflows'), apiGet<RunList>('/runs?limit=500')]);
      const byWorkflow = new Map<string, RunListItem[]>();
      for (const run of r.runs) {
        const list = byWorkflow.get(run.workflow) ?? [];
        if (list.length < LAST_RUNS) list.push(run);
        byWorkflow.set(run.workflow, list);
      }
      setWorkflows(w.workflows);
      setRuns(byWorkflow);
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  }, []);
  useLive({ dashboard: true }, load, { pollMs: 5000, minGapMs: 1000 });

  const groups = useMemo(() => {
    const s = new Set<string>((workflows ?? []).map((w) => w.group));
    for (const g of me?.groups ?? []) s.add(g.name);
    return [...s].sort();
  }, [workflows, me]);

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (workflows ?? [])
      .filter((w) => !group || w.group === group)
      .filter((w) => !needle || w.name.toLowerCase().includes(needle) || (w.description ?? '').toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [workflows, q, group]);

  return (
    <>
      <div className="page-head">
        <h1>Workflows</h1>
        {canEditSomewhere(me) ? <NewWorkflowForm /> : null}
      </div>
      <div className="filters" role="search">
        <label>
          Search{' '}
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="name or description" data-testid="workflow-search" aria-label="Search workflows" />
        </label>
        <label>
          Group{' '}
          <select value={group} onChange={(e) => setGroup(e.target.value)} data-testid="group-filter" aria-label="Filter by group">
            <option value="">all groups</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        {workflows ? (
          <span className="muted" data-testid="workflow-count">
            {shown.length} of {workflows.length}
          </span>
        ) : null}
      </div>
      <ErrorNote error={error} />
      {!workflows && !error ? <Loading /> : null}
      {workflows && shown.length === 0 ? <Empty>{workflows.length === 0 ? 'No workflow yet.' : 'No workflow matches.'}</Empty> : null}
      {shown.length > 0 ? (
        <table data-testid="workflows-table">
          <thead>
            <tr>
              <th>Workflow</th>
              <th>Group</th>
              <th>Last runs (newest first)</th>
              <th>Schedule</th>
              <th>Version</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((w) => {
              const last = runs.get(w.name) ?? (w.lastRun ? [{ ...w.lastRun, jobRuns: [] } as unknown as RunListItem] : []);
              return (
                <tr key={w.name} data-testid={`workflow-row-${w.name}`}>
                  <td>
                    <a href={`/workflows/${encodeURIComponent(w.name)}`} data-testid="workflow-link">
                      {w.name}
                    </a>
                    {w.description ? <div className="muted small">{w.description}</div> : null}
                  </td>
                  <td>{w.group}</td>
                  <td>
                    {last.length === 0 ? (
                      <span className="muted">never run</span>
                    ) : (
                      <span className="run-states">
                        {last.map((r) => (
                          <a key={r.id} href={`/runs/${r.id}`} className="run-chip" title={`run #${r.id}, ${formatLocal(r.createdAt)}`}>
                            <StateBadge state={r.state} label={`run ${r.id}`} />
                          </a>
                        ))}
                      </span>
                    )}
                  </td>
                  <td>
                    {w.schedule ? (
                      <>
                        <code>{w.schedule.cron}</code> <span className="muted">{w.schedule.timezone}</span>
                        {w.schedule.enabled ? (
                          w.schedule.nextFireAt ? <div className="muted small">next {formatRelative(w.schedule.nextFireAt, now)}</div> : null
                        ) : (
                          <div className="muted small">disabled</div>
                        )}
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="num">v{w.version}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
