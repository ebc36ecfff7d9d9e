'use client';
// The run page (`/runs/{id}`): the live graph (each job coloured by state and labelled with the
// state's word, with its elapsed time), the timeline of attempts, the selected job's reason,
// attempts and streaming output, and cancel / rerun for those whose role allows.
//
// Live path: useLive subscribes to the `/live` room of the run; every nudge, every (re)connect and
// a safety poll refetch GET /runs/{id}, the only truth. The graph's layout is computed once per
// definition; a refetch that changed nothing changes nothing on screen.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiFailure, apiGet, apiSend, errorMessage, seg } from '../api/client';
import type { Run, WorkflowDetail } from '../api/types';
import { WorkflowGraph, formatElapsed, jobsOf } from '../graph';
import { useLive } from '../live';
import { StateBadge, can, useMe } from '../shell';
import { RunGantt } from './gantt';
import { JobOutput } from './job-output';
import { RunEvents } from './run-events';
import './run.css';

const ENDED = new Set(['success', 'failure', 'cancelled']);
const LIVE_OPTIONS = { pollMs: 2000, slowPollMs: 5000 };

export function RunView({ id }: { id: number }) {
  const { me } = useMe();
  const [run, setRun] = useState<Run | null>(null);
  const [loadError, setLoadError] = useState<ApiFailure | Error | null>(null);
  const [definition, setDefinition] = useState<Record<string, unknown> | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const picked = useRef(false);
  const lastJson = useRef('');
  const [action, setAction] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  const lastFetch = useRef(0);
  const jobCount = useRef(0);
  const reload = useCallback(async () => {
    // Nudges that come while waiting fold into this one fetch (useLive runs one at a time): a
    // big run is refetched at most every 300 ms, a small one every 120 ms.
    const wait = (jobCount.current > 100 ? 300 : 120) - (Date.now() - lastFetch.current);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    lastFetch.current = Date.now();
    try {
      const next = await apiGet<Run>(`/runs/${id}`);
      jobCount.current = next.jobRuns.length;
      const json = JSON.stringify(next);
      // Same answer, same object: nothing re-renders.
      if (json !== lastJson.current) {
        lastJson.current = json;
        setRun(next);
      }
      setLoadError(null);
    } catch (e) {
      setLoadError(e as Error);
    }
  }, [id]);

  const ended = run ? ENDED.has(run.state) : false;
  // The safety poll stays fixed: changing it would resubscribe the socket.
  const live = useLive({ run: id }, reload, LIVE_OPTIONS);

  useEffect(() => {
    void reload();
  }, [reload]);

  // The definition of the run's version, for the graph's needs (fetched once per version).
  const wfKey = run ? `${run.workflow}@${run.version}` : null;
  useEffect(() => {
    if (!run) return;
    let stop = false;
    apiGet<WorkflowDetail>(`/workflows/${seg(run.workflow)}?version=${run.version}`).then(
      (d) => !stop && setDefinition(d.definition),
      // Without it the graph still shows every job, only without edges.
      () => !stop && setDefinition({ jobs: Object.fromEntries(run.jobRuns.map((jr) => [jr.job, {}])) }),
    );
    return () => {
      stop = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per workflow version
  }, [wfKey]);

  // Show a failure's output without a click: the first failed job, once.
  useEffect(() => {
    if (!run || picked.current || selected) return;
    const failed = run.jobRuns.find((jr) => jr.state === 'failure');
    if (failed) {
      picked.current = true;
      setSelected(failed.job);
    }
  }, [run, selected]);

  const order = useMemo(() => (definition ? jobsOf(definition).map((j) => j.name) : null), [definition]);

  if (loadError && !run) {
    const notFound = loadError instanceof ApiFailure && loadError.status === 404;
    return (
      <div data-testid="run-error">
        <h1>Run {id}</h1>
        <p className="error">{notFound ? `Run ${id} was not found, or you may not see it.` : errorMessage(loadError)}</p>
      </div>
    );
  }
  if (!run) return <p data-testid="run-loading">Loading run {id}…</p>;

  const mayOperate = can(me, run.group, 'operator');
  const act = async (what: 'cancel' | 'rerun') => {
    setAction({ busy: true, error: null });
    try {
      const answer = await apiSend<Run>('POST', `/runs/${id}/${what}`);
      setAction({ busy: false, error: null });
      if (what === 'rerun') window.location.assign(`/runs/${answer.id}`);
      else void reload();
    } catch (e) {
      setAction({ busy: false, error: errorMessage(e) });
    }
  };

  const jr = selected ? run.jobRuns.find((j) => j.job === selected) : undefined;
  const duration = run.startedAt ? (run.endedAt ? Date.parse(run.endedAt) : Date.now()) - Date.parse(run.startedAt) : null;

  return (
    <div className="course-run" data-testid="run-view" data-run-state={run.state}>
      <header className="course-run-head">
        <div>
          <h1>
            Run #{run.id} of <a href={`/workflows/${seg(run.workflow)}`}>{run.workflow}</a> <StateBadge state={run.state} testId="run-state" label="run" />
          </h1>
          <p className="muted">
            version {run.version} · {run.trigger}
            {run.createdBy ? ` by ${run.createdBy}` : ''} · created {new Date(run.createdAt).toLocaleString()}
            {duration !== null ? ` · ${ended ? 'took' : 'running for'} ${formatElapsed(duration)}` : ''}
            {run.parentRunId ? (
              <>
                {' · '}
                <a href={`/runs/${run.parentRunId}`} data-testid="parent-run">
                  parent run #{run.parentRunId}
                </a>
              </>
            ) : null}
            {run.rerunOf ? (
              <>
                {' · '}
                <a href={`/runs/${run.rerunOf}`}>rerun of #{run.rerunOf}</a>
              </>
            ) : null}
            {' · '}
            <span data-testid="live-mode" data-mode={live.mode} title={live.detail}>
              {live.mode === 'socket' ? 'live' : live.mode === 'polling' ? 'polling' : 'connecting…'}
            </span>
          </p>
          {run.reason ? (
            <p className="course-run-reason" data-testid="run-reason">
              {run.reason}
            </p>
          ) : null}
        </div>
        <div className="course-run-actions">
          {mayOperate && !ended ? (
            <button type="button" className="danger" disabled={action.busy} onClick={() => void act('cancel')} data-testid="cancel-run">
              Cancel run
            </button>
          ) : null}
          {mayOperate && ended ? (
            <button type="button" disabled={action.busy} onClick={() => void act('rerun')} data-testid="rerun-run">
              Rerun
            </button>
          ) : null}
        </div>
      </header>
      {action.error ? (
        <p className="error" data-testid="action-error" role="alert">
          {action.error}
        </p>
      ) : null}
      {loadError ? <p className="warning">Could not refresh: {errorMessage(loadError)} (showing the last state)</p> : null}

      {definition ? (
        <WorkflowGraph definition={definition} run={run} selectedJob={selected} onSelectJob={setSelected} testId="run-graph" />
      ) : (
        <p className="muted">Loading the graph…</p>
      )}

      <div className="course-run-lower">
        <section className="course-run-job" data-testid="job-panel">
          {jr ? <JobPanel key={jr.job} run={run} jobRun={jr} /> : <p className="muted">Select a job in the graph or the timeline to see its reason, attempts and output.</p>}
        </section>
        <section className="course-run-timeline">
          <h2>Timeline</h2>
          <RunGantt run={run} order={order} onSelectJob={setSelected} selectedJob={selected} />
        </section>
      </div>
      <RunEvents runId={run.id} version={`${run.state}:${run.jobRuns.map((j) => `${j.state}${j.attempts.length}`).join(',')}`} />
    </div>
  );
}

function JobPanel({ run, jobRun }: { run: Run; jobRun: Run['jobRuns'][number] }) {
  const attempts = jobRun.attempts;
  const latest = attempts.length ? attempts[attempts.length - 1].number : null;
  const [chosen, setChosen] = useState<number | null>(null);
  const attempt = chosen !== null && attempts.some((a) => a.number === chosen) ? chosen : latest;
  const shown = attempts.find((a) => a.number === attempt);
  return (
    <div data-testid={`job-panel-${jobRun.job}`}>
      <h2>
        {jobRun.job} <StateBadge state={jobRun.state} testId="job-panel-state" label={jobRun.job} />
      </h2>
      {jobRun.reason ? (
        <p className="course-run-reason" data-testid="job-panel-reason">
          {jobRun.reason}
        </p>
      ) : null}
      {jobRun.retryAt && jobRun.state === 'executing' ? <p className="muted">Next attempt at {new Date(jobRun.retryAt).toLocaleTimeString()}.</p> : null}
      {jobRun.childRunId ? (
        <p>
          <a href={`/runs/${jobRun.childRunId}`} data-testid="job-panel-child-run">
            Open child run #{jobRun.childRunId}
          </a>
        </p>
      ) : null}
      {attempts.length ? (
        <table className="course-attempts" data-testid="attempts">
          <thead>
            <tr>
              <th>#</th>
              <th>State</th>
              <th>Exit</th>
              <th>Executor</th>
              <th>Started</th>
              <th>Took</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr key={a.number} className={a.number === attempt ? 'selected' : undefined} onClick={() => setChosen(a.number)} data-testid={`attempt-${a.number}`}>
                <td>{a.number}</td>
                <td>
                  <span className={`state state-${a.state}`}>{a.state}</span>
                </td>
                <td>{a.exitCode ?? ''}</td>
                <td>{a.executor ?? ''}</td>
                <td>{a.startedAt ? new Date(a.startedAt).toLocaleTimeString() : ''}</td>
                <td>{a.startedAt ? formatElapsed((a.endedAt ? Date.parse(a.endedAt) : Date.now()) - Date.parse(a.startedAt)) : ''}</td>
                <td>{a.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h3>Output{attempts.length > 1 && attempt ? ` of attempt ${attempt}` : ''}</h3>
      <JobOutput runId={run.id} job={jobRun.job} attempt={attempt} attemptEnded={shown ? shown.endedAt !== null : false} />
    </div>
  );
}
