'use client';
// The run's debugging timeline (every state change with its time and reason, attempts and their
// executors, exit codes, notifications) and its notification deliveries with their status. Both
// are refetched when the run changes (`version` moves with every refetch of the run) and while
// deliveries are still pending, since those change without the run changing.
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { DeliveryList } from '../../lib/contracts/notifications';
import { apiGet, errorMessage } from '../api/client';
import type { Timeline } from '../api/types';

type Deliveries = z.infer<typeof DeliveryList>;

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString(undefined, { hour12: false }) : '—');

export function RunEvents({ runId, version }: { runId: number; version: string }) {
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [deliveries, setDeliveries] = useState<Deliveries | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  const lastFetch = useRef(0);
  useEffect(() => {
    let stop = false;
    // At most one fetch every 1.5 s: a big run changes many times a second, its timeline is long.
    const wait = Math.max(0, 1500 - (Date.now() - lastFetch.current));
    const timer = setTimeout(() => {
      lastFetch.current = Date.now();
      Promise.all([apiGet<Timeline>(`/runs/${runId}/timeline`), apiGet<Deliveries>(`/runs/${runId}/notifications`)]).then(
        ([t, d]) => {
          if (stop) return;
          setTimeline(t);
          setDeliveries(d);
          setError(null);
        },
        (e) => !stop && setError(errorMessage(e)),
      );
    }, wait);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [runId, version, tick]);

  const pending = deliveries?.deliveries.some((d) => d.state === 'pending') ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => setTick((n) => n + 1), 3000);
    return () => clearInterval(timer);
  }, [pending]);

  return (
    <>
      {error ? <p className="warning">Could not load the run's events: {error}</p> : null}
      <section className="course-run-deliveries" data-testid="run-deliveries">
        <h2>Notifications</h2>
        {!deliveries || deliveries.deliveries.length === 0 ? (
          <p className="muted">No notifications for this run.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Event</th>
                <th>Job</th>
                <th>To</th>
                <th>State</th>
                <th>Attempts</th>
                <th>Last error</th>
                <th>Next attempt</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.deliveries.map((d) => (
                <tr key={d.id} data-testid={`delivery-${d.id}`}>
                  <td>{d.event}</td>
                  <td>{d.job ?? '—'}</td>
                  <td>
                    {d.channel}: {d.target}
                  </td>
                  <td data-testid="delivery-state">{d.delivering ? 'sending' : d.state}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastError ?? '—'}</td>
                  <td>{d.state === 'pending' ? time(d.nextAttemptAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="course-run-events" data-testid="run-events">
        <h2>Debugging timeline</h2>
        {!timeline ? (
          <p className="muted">Loading…</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Job</th>
                <th>What</th>
              </tr>
            </thead>
            <tbody>
              {timeline.events.map((e, i) => (
                <tr key={i} data-kind={e.kind}>
                  <td title={e.at}>{time(e.at)}</td>
                  <td>{e.job ?? ''}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
