'use client';
// Workflow (`/workflows/{name}`): its graph of jobs, its schedule with the next fire times (in the
// schedule's zone, the browser's and UTC), a trigger form for its params, its run history with
// durations, and its version history with what changed. Buttons show only for roles that allow
// them; the API refuses the rest anyway and its message is shown where the action was.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiFailure, apiGet, apiSend, seg } from '../api/client';
import type { Run, RunList, RunListItem, SchedulePreview, WorkflowDetail, WorkflowVersions } from '../api/types';
import { useLive } from '../live/use-live';
import { useMe } from '../shell/me';
import { can } from '../shell/roles';
import { StateBadge } from '../shell/state-badge';
import { JobCounts } from './dashboard';
import { describeChange, diffDefinitions, type Change } from './definition-diff';
import { WorkflowGraph } from '../graph';
import { JobsView } from './jobs-view';
import { browserZone, durationBetween, formatDuration, formatLocal, formatRelative, formatUtc, formatWallClock } from './format';
import { Empty, ErrorNote, Loading, Section, useNow } from './ui';

type Params = Record<string, { default?: string; description?: string } | null>;

export function WorkflowPage({ name }: { name: string }) {
  const [detail, setDetail] = useState<WorkflowDetail | undefined>();
  const [runs, setRuns] = useState<RunListItem[] | undefined>();
  const [versions, setVersions] = useState<WorkflowVersions | undefined>();
  const [error, setError] = useState<unknown>();
  const { me } = useMe();
  const base = `/workflows/${seg(name)}`;

  const load = useCallback(async () => {
    try {
      const [d, r, v] = await Promise.all([apiGet<WorkflowDetail>(base), apiGet<RunList>(`/runs?workflow=${seg(name)}&limit=50`), apiGet<WorkflowVersions>(`${base}/versions`)]);
      setDetail(d);
      setRuns(r.runs);
      setVersions(v);
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  }, [base, name]);
  // Live: this workflow's room nudges on every run change; polling covers the rest.
  const live = useLive({ workflow: name }, load);

  if (!detail) {
    return (
      <>
        <h1>{name}</h1>
        {error ? <ErrorNote error={error} title={error instanceof ApiFailure && error.status === 404 ? 'Not found' : 'Error'} /> : <Loading />}
        <p>
          <a href="/workflows">← all workflows</a>
        </p>
      </>
    );
  }

  const group = detail.group;
  const mayRun = can(me, group, 'operator');
  const mayEdit = can(me, group, 'editor');
  const description = typeof detail.definition.description === 'string' ? detail.definition.description : null;

  return (
    <>
      <div className="page-head">
        <div>
          <p className="crumbs">
            <a href="/workflows">Workflows</a> / <span>{group}</span>
          </p>
          <h1 data-testid="workflow-name">{detail.name}</h1>
          <p className="muted">
            group <strong>{group}</strong> · version <strong data-testid="workflow-version">{detail.currentVersion}</strong> · saved {formatLocal(detail.versionCreatedAt)}
            {detail.versionCreatedBy ? ` by ${detail.versionCreatedBy}` : ''} · <LiveBadge mode={live.mode} detail={live.detail} />
          </p>
          {description ? <p>{description}</p> : null}
        </div>
        <div className="actions">
          {mayEdit ? (
            <a className="button" href={`/workflows/${encodeURIComponent(detail.name)}/edit`} data-testid="edit-workflow" aria-label={`Edit workflow ${detail.name}`}>
              Edit
            </a>
          ) : null}
          {mayEdit ? <DeleteButton name={detail.name} /> : null}
        </div>
      </div>
      <ErrorNote error={error} title="Could not refresh" />

      <Section title="Jobs" testId="workflow-jobs">
        <JobsView definition={detail.definition} graph={<WorkflowGraph definition={detail.definition} testId="workflow-graph" />} />
      </Section>

      <div className="grid-2">
        {mayRun ? (
          <Section title="Trigger a run" testId="trigger">
            <TriggerForm name={detail.name} params={(detail.definition.params as Params | undefined) ?? {}} />
          </Section>
        ) : null}
        <Section title="Schedule" testId="schedule">
          <ScheduleView detail={detail} />
        </Section>
      </div>

      <Section title="Runs" testId="run-history">
        <RunHistory runs={runs ?? []} mayRun={mayRun} onChange={load} />
      </Section>

      <Section title="Versions" testId="version-history">
        <VersionHistory name={detail.name} versions={versions} />
      </Section>
    </>
  );
}

// ---- trigger --------------------------------------------------------------------------------

function TriggerForm({ name, params }: { name: string; params: Params }) {
  const names = Object.keys(params);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(names.map((n) => [n, params[n]?.default ?? ''])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // A param left empty with no default is sent as empty; one equal to its default is sent too, so the run shows it.
      const run = await apiSend<Run>('POST', `/workflows/${seg(name)}/runs`, names.length ? { params: values } : {});
      window.location.assign(`/runs/${run.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form
      className="stack"
      data-testid="trigger-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {names.length === 0 ? <p className="muted">This workflow takes no parameters.</p> : null}
      {names.map((n) => (
        <label key={n} className="field">
          <span className="field-name">
            <code>{n}</code>
            {params[n]?.default !== undefined ? <span className="muted small"> default: {params[n]!.default === '' ? '(empty)' : params[n]!.default}</span> : null}
          </span>
          <input value={values[n] ?? ''} onChange={(e) => setValues({ ...values, [n]: e.target.value })} data-testid={`param-${n}`} aria-label={`Parameter ${n}`} />
          {params[n]?.description ? <span className="muted small">{params[n]!.description}</span> : null}
        </label>
      ))}
      <ErrorNote error={error} testId="trigger-error" title="Not started" />
      <div>
        <button type="submit" className="primary" disabled={busy} data-testid="trigger-run" aria-label={`Trigger a run of ${name}`}>
          {busy ? 'Starting…' : 'Trigger run'}
        </button>
      </div>
    </form>
  );
}

function DeleteButton({ name }: { name: string }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <span>
      <button
        type="button"
        className="danger"
        disabled={busy}
        data-testid="delete-workflow"
        aria-label={`Delete workflow ${name}`}
        onClick={async () => {
          if (!window.confirm(`Delete workflow ${name}, with its versions, schedule and runs?`)) return;
          setBusy(true);
          try {
            await apiSend('DELETE', `/workflows/${seg(name)}`);
            window.location.assign('/workflows');
          } catch (e) {
            setError(e);
            setBusy(false);
          }
        }}
      >
        Delete
      </button>
      <ErrorNote error={error} testId="delete-error" title="Not deleted" />
    </span>
  );
}

// ---- schedule -------------------------------------------------------------------------------

function ScheduleView({ detail }: { detail: WorkflowDetail }) {
  const s = detail.schedule;
  const [more, setMore] = useState<SchedulePreview['fireTimes'] | undefined>();
  const [error, setError] = useState<unknown>();
  const zone = browserZone();
  if (!s) return <Empty>No schedule: runs start when triggered.</Empty>;
  const times = more ?? detail.nextFireTimes;

  const loadMore = async () => {
    try {
      const after = detail.nextFireTimes.length ? new Date(Date.parse(detail.nextFireTimes[0].utc) - 1000).toISOString() : undefined;
      const q = new URLSearchParams({ cron: s.cron, timezone: s.timezone, count: '20' });
      if (after) q.set('after', after);
      const p = await apiGet<SchedulePreview>(`/schedules/preview?${q}`);
      setMore(p.fireTimes);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <dl className="facts">
        <dt>cron</dt>
        <dd>
          <code data-testid="schedule-cron">{s.cron}</code>
        </dd>
        <dt>time zone</dt>
        <dd>{s.timezone}</dd>
        <dt>state</dt>
        <dd data-testid="schedule-enabled">{s.enabled ? 'enabled' : 'disabled'}</dd>
        <dt>catch-up</dt>
        <dd>
          {s.catchup} (at most {s.catchupLimit}) · overlap {s.overlap}
        </dd>
        <dt>last fired</dt>
        <dd>{s.lastFireAt ? `${formatLocal(s.lastFireAt)} (${formatUtc(s.lastFireAt)})` : 'never'}</dd>
      </dl>
      {s.enabled && times.length > 0 ? (
        <table data-testid="next-fire-times">
          <thead>
            <tr>
              <th>Next fire ({s.timezone})</th>
              <th>Your time ({zone})</th>
              <th>UTC</th>
            </tr>
          </thead>
          <tbody>
            {times.map((t) => (
              <tr key={t.utc}>
                <td>{formatWallClock(t.local)}</td>
                <td>{formatLocal(t.utc, { seconds: false })}</td>
                <td>{formatUtc(t.utc)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty>{s.enabled ? 'No fire time ahead.' : 'The schedule is disabled: it fires nothing.'}</Empty>
      )}
      {s.enabled && !more ? (
        <button type="button" className="link-button" onClick={() => void loadMore()} data-testid="more-fire-times">
          Show 20 fire times
        </button>
      ) : null}
      <ErrorNote error={error} />
    </>
  );
}

// ---- runs -----------------------------------------------------------------------------------

const ENDED = new Set(['success', 'failure', 'cancelled']);

export function RunHistory({ runs, mayRun, onChange }: { runs: RunListItem[]; mayRun: boolean; onChange: () => void | Promise<void> }) {
  const now = useNow(1000);
  const [error, setError] = useState<unknown>();
  const act = async (run: RunListItem, what: 'cancel' | 'rerun') => {
    setError(undefined);
    try {
      const answer = await apiSend<Run | undefined>('POST', `/runs/${run.id}/${what}`);
      if (what === 'rerun' && answer && typeof answer === 'object' && 'id' in answer) window.location.assign(`/runs/${answer.id}`);
      else await onChange();
    } catch (e) {
      setError(e);
    }
  };
  if (runs.length === 0) return <Empty>No run yet.</Empty>;
  return (
    <>
      <ErrorNote error={error} testId="run-action-error" />
      <table data-testid="runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>State</th>
            <th>Trigger</th>
            <th>Started</th>
            <th>Duration</th>
            <th>Jobs</th>
            <th>Reason</th>
            {mayRun ? <th aria-label="Actions"></th> : null}
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-testid={`run-row-${r.id}`}>
              <td>
                <a href={`/runs/${r.id}`} data-testid="run-link">
                  #{r.id}
                </a>
                {r.version ? <span className="muted small"> v{r.version}</span> : null}
              </td>
              <td>
                <StateBadge state={r.state} label={`run ${r.id}`} />
              </td>
              <td>
                {r.trigger}
                {r.createdBy ? <span className="muted small"> by {r.createdBy}</span> : null}
              </td>
              <td title={formatUtc(r.startedAt ?? r.createdAt)}>
                {formatLocal(r.startedAt ?? r.createdAt)} <span className="muted small">{formatRelative(r.startedAt ?? r.createdAt, now)}</span>
              </td>
              <td className="num" data-testid="run-duration">
                {r.startedAt ? formatDuration(durationBetween(r.startedAt, r.endedAt, now)) : '—'}
                {!r.endedAt && r.startedAt ? <span className="muted small"> so far</span> : null}
              </td>
              <td>
                <JobCounts run={r} />
              </td>
              <td className="reason">{r.reason ?? ''}</td>
              {mayRun ? (
                <td className="row-actions">
                  {ENDED.has(r.state) ? (
                    <button type="button" onClick={() => void act(r, 'rerun')} data-testid={`rerun-${r.id}`} aria-label={`Rerun run ${r.id}`}>
                      Rerun
                    </button>
                  ) : (
                    <button type="button" className="danger" onClick={() => void act(r, 'cancel')} data-testid={`cancel-${r.id}`} aria-label={`Cancel run ${r.id}`}>
                      Cancel
                    </button>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

// ---- versions -------------------------------------------------------------------------------

function VersionHistory({ name, versions }: { name: string; versions: WorkflowVersions | undefined }) {
  const [open, setOpen] = useState<number | null>(null);
  const [defs, setDefs] = useState<Map<number, Record<string, unknown>>>(new Map());
  const [error, setError] = useState<unknown>();
  const list = versions?.versions ?? [];

  useEffect(() => {
    if (open === null && list.length > 0) setOpen(list[0].version);
  }, [open, list]);

  const asked = useRef(new Set<number>());
  useEffect(() => {
    if (open === null) return;
    const want = [open, open - 1].filter((v) => v >= 1 && !asked.current.has(v) && list.some((x) => x.version === v));
    if (want.length === 0) return;
    for (const v of want) asked.current.add(v);
    Promise.all(want.map((v) => apiGet<WorkflowDetail>(`/workflows/${seg(name)}?version=${v}`).then((d) => [v, d.definition] as const))).then(
      (got) =>
        setDefs((m) => {
          const next = new Map(m);
          for (const [v, d] of got) next.set(v, d);
          return next;
        }),
      (e: unknown) => {
        for (const v of want) asked.current.delete(v);
        setError(e);
      },
    );
  }, [open, name, list]);

  if (!versions) return <Loading />;
  return (
    <>
      <ErrorNote error={error} />
      <ol className="versions" data-testid="versions">
        {list.map((v) => {
          const isOpen = open === v.version;
          return (
            <li key={v.version} data-testid={`version-${v.version}`}>
              <button type="button" className="link-button" aria-expanded={isOpen} onClick={() => setOpen(isOpen ? -1 : v.version)}>
                v{v.version}
              </button>{' '}
              {v.version === versions.currentVersion ? <span className="tag">current</span> : null} <span className="muted small">{formatLocal(v.createdAt)}{v.createdBy ? ` by ${v.createdBy}` : ''}</span>
              {isOpen ? <VersionChanges version={v.version} defs={defs} /> : null}
            </li>
          );
        })}
      </ol>
    </>
  );
}

function VersionChanges({ version, defs }: { version: number; defs: Map<number, Record<string, unknown>> }) {
  const after = defs.get(version);
  const before = version > 1 ? defs.get(version - 1) : {};
  const changes: Change[] | undefined = useMemo(() => (after && before ? diffDefinitions(before, after) : undefined), [after, before]);
  if (!changes) return <Loading what="Comparing" />;
  if (version === 1) {
    const jobs = Object.keys((after?.jobs as Record<string, unknown>) ?? {});
    const names = jobs.length > 12 ? `${jobs.slice(0, 12).join(', ')} and ${jobs.length - 12} more` : jobs.join(', ');
    return <p className="changes muted">Created with {jobs.length} job{jobs.length === 1 ? '' : 's'}: {names}.</p>;
  }
  if (changes.length === 0) return <p className="changes muted">No change from v{version - 1}.</p>;
  return (
    <ul className="changes" data-testid="version-changes" aria-label={`Changes from v${version - 1} to v${version}`}>
      {changes.map((c, i) => (
        <li key={i} className={`change change-${c.kind}`}>
          {describeChange(c)}
        </li>
      ))}
    </ul>
  );
}

export function LiveBadge({ mode, detail }: { mode: string; detail?: string }) {
  const text = mode === 'socket' ? 'live' : mode === 'connecting' ? 'connecting…' : 'refreshing every 2 s';
  return (
    <span className={`live-badge live-${mode}`} data-testid="live-mode" data-mode={mode} title={detail}>
      {text}
    </span>
  );
}

export function Muted({ children }: { children: ReactNode }) {
  return <span className="muted">{children}</span>;
}
