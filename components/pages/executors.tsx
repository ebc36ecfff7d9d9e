'use client';
// Executors (`/executors`): each one online or lost, its labels, capacity, last contact and the
// attempts it is running. Site admins can make a token for a new executor.
import { useCallback, useState } from 'react';
import { apiGet, apiSend } from '../api/client';
import type { ExecutorList } from '../api/types';
import { useLive } from '../live/use-live';
import { useMe } from '../shell/me';
import { durationBetween, formatDuration, formatLocal, formatRelative } from './format';
import { Empty, ErrorNote, Loading, Section, useNow } from './ui';

export function Executors() {
  const [data, setData] = useState<ExecutorList | undefined>();
  const [error, setError] = useState<unknown>();
  const { me } = useMe();
  const now = useNow(1000);
  const load = useCallback(async () => {
    try {
      setData(await apiGet<ExecutorList>('/executors'));
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  }, []);
  useLive(null, load, { pollMs: 3000 });

  const list = data?.executors ?? [];
  const online = list.filter((e) => e.state === 'online').length;
  return (
    <>
      <h1>Executors</h1>
      <ErrorNote error={error} />
      {!data && !error ? <Loading /> : null}
      {data ? (
        <p className="muted" data-testid="executor-summary">
          {online} online · {list.length - online} lost
        </p>
      ) : null}
      {data && list.length === 0 ? <Empty>No executor has connected yet.</Empty> : null}
      {list.length > 0 ? (
        <table data-testid="executors-table">
          <thead>
            <tr>
              <th>Executor</th>
              <th>State</th>
              <th>Labels</th>
              <th>Capacity</th>
              <th>Running</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <tr key={e.id} data-testid={`executor-row-${e.name}`}>
                <td>
                  <strong>{e.name}</strong>
                </td>
                <td>
                  <span className={`badge exec-${e.state === 'online' ? 'online' : 'lost'}`} data-testid="executor-state" aria-label={`executor ${e.name}: ${e.state}`}>
                    {e.state}
                  </span>
                </td>
                <td>{e.labels.length ? e.labels.map((l) => <span key={l} className="tag">{l}</span>) : <span className="muted">none</span>}</td>
                <td className="num" data-testid="executor-capacity">
                  {e.running.length} / {e.capacity}
                </td>
                <td>
                  {e.running.length === 0 ? (
                    <span className="muted">idle</span>
                  ) : (
                    <ul className="plain">
                      {e.running.map((a) => (
                        <li key={a.attemptId}>
                          <a href={`/runs/${a.runId}`}>
                            {a.workflow} #{a.runId}
                          </a>{' '}
                          · <strong>{a.job}</strong> attempt {a.attempt}
                          {a.startedAt ? <span className="muted small"> for {formatDuration(durationBetween(a.startedAt, null, now))}</span> : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td title={formatLocal(e.lastSeenAt)}>{formatRelative(e.lastSeenAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {me?.isSiteAdmin ? <ExecutorTokenForm /> : null}
    </>
  );
}

function ExecutorTokenForm() {
  const [name, setName] = useState('');
  const [labels, setLabels] = useState('');
  const [capacity, setCapacity] = useState('2');
  const [made, setMade] = useState<{ name: string; token: string } | undefined>();
  const [error, setError] = useState<unknown>();
  return (
    <Section title="Add an executor" testId="executor-token">
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(undefined);
          try {
            const body = { name, labels: labels.split(/[\s,]+/).filter(Boolean), capacity: Number(capacity) };
            const answer = await apiSend<{ name: string; token: string }>('POST', '/executors/tokens', body);
            setMade(answer);
          } catch (err) {
            setError(err);
          }
        }}
      >
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="name" aria-label="Executor name" required />
        <input value={labels} onChange={(e) => setLabels(e.target.value)} placeholder="labels, comma separated" aria-label="Labels" />
        <input value={capacity} onChange={(e) => setCapacity(e.target.value)} type="number" min={1} aria-label="Capacity" className="narrow" />
        <button type="submit">Make token</button>
      </form>
      <ErrorNote error={error} />
      {made ? (
        <div className="once" data-testid="executor-token-value">
          <p>
            Token for <strong>{made.name}</strong> — shown only now:
          </p>
          <code className="secret">{made.token}</code>
          <p className="muted small">
            Start it with <code>COURSE_URL={typeof window !== 'undefined' ? window.location.origin : ''} COURSE_TOKEN=… course executor</code>
          </p>
        </div>
      ) : null}
    </Section>
  );
}
