'use client';
// A workflow's jobs: the graph (components/graph's WorkflowGraph, automatic layout) above a
// table of every job's task, needs, labels, retries and timeout.
import type { ReactNode } from 'react';

type Job = {
  command?: string;
  workflow?: string;
  needs?: string | string[];
  runsOn?: string | string[];
  retries?: number;
  retryDelay?: string | number;
  timeout?: string | number;
  env?: Record<string, unknown>;
};

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Jobs in dependency order (layer by layer, by name within a layer); a cycle's jobs go last. */
export function orderJobs(jobs: Record<string, Job>): { name: string; layer: number }[] {
  const names = Object.keys(jobs);
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (n: string): number => {
    const known = layer.get(n);
    if (known !== undefined) return known;
    if (visiting.has(n) || !jobs[n]) return 0;
    visiting.add(n);
    const d = Math.max(-1, ...list(jobs[n].needs).map(depth)) + 1;
    visiting.delete(n);
    layer.set(n, d);
    return d;
  };
  for (const n of names) depth(n);
  return names.map((name) => ({ name, layer: layer.get(name) ?? 0 })).sort((a, b) => a.layer - b.layer || a.name.localeCompare(b.name));
}

export function JobsView({ definition, graph }: { definition: Record<string, unknown>; graph?: ReactNode }) {
  const jobs = (definition.jobs as Record<string, Job> | undefined) ?? {};
  const ordered = orderJobs(jobs);
  return (
    <>
      {graph}
      <details className="jobs-details" open={ordered.length <= 30}>
        <summary>
          {ordered.length} job{ordered.length === 1 ? '' : 's'}: task, needs, labels, retries, timeout
        </summary>
      <table data-testid="jobs-table">
        <thead>
          <tr>
            <th>Job</th>
            <th>Task</th>
            <th>Needs</th>
            <th>Runs on</th>
            <th>Retries</th>
            <th>Timeout</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map(({ name }) => {
            const j = jobs[name];
            return (
              <tr key={name} data-testid={`job-row-${name}`}>
                <td>
                  <strong>{name}</strong>
                </td>
                <td className="task">
                  {j.workflow ? (
                    <>
                      workflow <a href={`/workflows/${encodeURIComponent(j.workflow)}`}>{j.workflow}</a>
                    </>
                  ) : (
                    <code>{j.command}</code>
                  )}
                  {j.env && Object.keys(j.env).length ? <div className="muted small">env: {Object.keys(j.env).join(', ')}</div> : null}
                </td>
                <td>{list(j.needs).join(', ') || <span className="muted">—</span>}</td>
                <td>{list(j.runsOn).join(', ') || <span className="muted">any</span>}</td>
                <td className="num">
                  {j.retries ?? 0}
                  {j.retries && j.retryDelay !== undefined ? <span className="muted small"> every {String(j.retryDelay)}</span> : null}
                </td>
                <td>{j.timeout !== undefined ? String(j.timeout) : <span className="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </details>
    </>
  );
}
