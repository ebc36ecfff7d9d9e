'use client';
// A job's output, streaming live: GET …/output?follow=1 read through fetch's ReadableStream (the
// server sends the whole text at once for an attempt that has ended), decoded leniently.
import { useEffect, useRef, useState } from 'react';
import { outputUrl } from '../api/client';
import { OutputBuffer, pump } from './output-stream';

type Status = { kind: 'idle' } | { kind: 'loading' } | { kind: 'streaming' } | { kind: 'done' } | { kind: 'failed'; message: string };

export function JobOutput({ runId, job, attempt, attemptEnded }: { runId: number; job: string; attempt: number | null; attemptEnded: boolean }) {
  const [text, setText] = useState('');
  const [trimmed, setTrimmed] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [nonce, setNonce] = useState(0);
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    setText('');
    setTrimmed(false);
    if (attempt === null) {
      setStatus({ kind: 'idle' });
      return;
    }
    const ctrl = new AbortController();
    const buffer = new OutputBuffer();
    setStatus({ kind: 'loading' });
    (async () => {
      const res = await fetch(outputUrl(runId, job, { attempt, follow: true }), { credentials: 'same-origin', cache: 'no-store', signal: ctrl.signal });
      if (!res.ok || !res.body) {
        const body = await res.text().catch(() => '');
        let message = `${res.status} ${res.statusText}`;
        try {
          message = (JSON.parse(body) as { error: { message: string } }).error.message;
        } catch {
          // not JSON
        }
        setStatus({ kind: 'failed', message });
        return;
      }
      setStatus({ kind: 'streaming' });
      await pump(
        res.body,
        buffer,
        () => {
          if (ctrl.signal.aborted) return;
          setText(buffer.value());
          setTrimmed(buffer.trimmed);
        },
        100,
        ctrl.signal,
      );
      if (!ctrl.signal.aborted) setStatus({ kind: 'done' });
    })().catch((e: unknown) => {
      if (ctrl.signal.aborted) return;
      setStatus({ kind: 'failed', message: `the output stream broke: ${(e as Error).message}` });
    });
    return () => ctrl.abort();
  }, [runId, job, attempt, nonce]);

  useEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [text]);

  if (attempt === null) return <p className="muted" data-testid="job-output-none">No output: the job has not started.</p>;
  return (
    <div className="course-output">
      <div className="course-output-head">
        <span data-testid="job-output-status" data-status={status.kind}>
          {status.kind === 'streaming' ? (attemptEnded ? 'loading…' : 'streaming live…') : status.kind === 'done' ? 'complete' : status.kind === 'loading' ? 'loading…' : ''}
        </span>
        {trimmed ? <span className="muted">only the last part is shown</span> : null}
        <a href={outputUrl(runId, job, { attempt })} target="_blank" rel="noreferrer">
          raw
        </a>
        {status.kind === 'failed' || status.kind === 'done' ? (
          <button type="button" className="link" onClick={() => setNonce((n) => n + 1)}>
            reload
          </button>
        ) : null}
      </div>
      {status.kind === 'failed' ? (
        <p className="error" data-testid="job-output-error">
          {status.message}
        </p>
      ) : null}
      <pre
        ref={pre}
        className="course-output-text"
        data-testid="job-output"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {text || (status.kind === 'done' ? '(no output)' : '')}
      </pre>
    </div>
  );
}
