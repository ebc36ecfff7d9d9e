'use client';
// The selected job's form: name, task (a command or a nested workflow), needs, retries,
// retryDelay, timeout, env (key/value rows) and runsOn labels, each with its own problems.
import { useEffect, useState } from 'react';
import type { Problem } from '../../lib/domain/types';
import { needsList } from '../graph/to-flow';
import { FieldProblems, ParsedInput, formatList, parseList } from './fields';
import { JOB_NAME_PATTERN, type RawJob } from './model';

export interface JobFormProps {
  name: string;
  job: RawJob;
  otherJobs: string[];
  workflows: string[];
  problems: Record<string, Problem[]>;
  onRename(to: string): string | undefined;
  onTask(kind: 'command' | 'workflow', text: string): void;
  onField(key: string, value: unknown): void;
  onNeeds(needs: string[]): void;
  onDelete(): void;
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

export function JobForm({ name, job, otherJobs, workflows, problems, onRename, onTask, onField, onNeeds, onDelete }: JobFormProps) {
  const kind: 'command' | 'workflow' = job.workflow !== undefined && job.command === undefined ? 'workflow' : 'command';
  const [nameText, setNameText] = useState(name);
  const [nameError, setNameError] = useState<string | undefined>();
  useEffect(() => {
    setNameText(name);
    setNameError(undefined);
  }, [name]);
  const needs = needsList(job.needs);
  const env = envRows(job.env);
  const p = (field: string) => problems[field];

  const commitName = () => {
    const to = nameText.trim();
    if (to === name) return;
    if (!JOB_NAME_PATTERN.test(to)) {
      setNameError('letters, digits, _ and -, at most 64');
      return;
    }
    const err = onRename(to);
    setNameError(err);
  };

  return (
    <section className="course-job-form" data-testid="job-form" aria-label={`Job ${name}`}>
      <div className="course-form-row">
        <label>
          Job name
          <input
            value={nameText}
            data-testid="job-name"
            onChange={(e) => setNameText(e.target.value)}
            onBlur={commitName}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitName();
            }}
          />
        </label>
        <button type="button" className="danger" onClick={onDelete} data-testid="delete-job">
          Delete job
        </button>
      </div>
      {nameError ? <p className="error">{nameError}</p> : null}
      <FieldProblems problems={p('')} testId="problems-job" />

      <fieldset className="course-task">
        <legend>Task</legend>
        <label className="inline">
          <input type="radio" name={`kind-${name}`} checked={kind === 'command'} onChange={() => onTask('command', text(job.command) || 'echo ' + name)} data-testid="task-kind-command" />
          command
        </label>
        <label className="inline">
          <input type="radio" name={`kind-${name}`} checked={kind === 'workflow'} onChange={() => onTask('workflow', text(job.workflow))} data-testid="task-kind-workflow" />
          nested workflow
        </label>
        {kind === 'command' ? (
          <label>
            Command (run by /bin/sh -c)
            <textarea rows={3} value={text(job.command)} onChange={(e) => onTask('command', e.target.value)} data-testid="job-command" spellCheck={false} />
          </label>
        ) : (
          <label>
            Workflow
            <input list="course-workflow-names" value={text(job.workflow)} onChange={(e) => onTask('workflow', e.target.value)} data-testid="job-workflow" />
            <datalist id="course-workflow-names">
              {workflows.map((w) => (
                <option key={w} value={w} />
              ))}
            </datalist>
          </label>
        )}
        <FieldProblems problems={[...(p('command') ?? []), ...(p('workflow') ?? [])]} testId="problems-task" />
      </fieldset>

      <fieldset>
        <legend>Needs</legend>
        {otherJobs.length === 0 ? <p className="muted">No other jobs yet.</p> : null}
        <div className="course-needs" data-testid="job-needs">
          {otherJobs.map((other) => (
            <label key={other} className="inline">
              <input
                type="checkbox"
                checked={needs.includes(other)}
                data-testid={`need-${other}`}
                onChange={(e) => onNeeds(e.target.checked ? [...needs, other] : needs.filter((n) => n !== other))}
              />
              {other}
            </label>
          ))}
          {needs.filter((n) => !otherJobs.includes(n)).map((unknown) => (
            <label key={unknown} className="inline error">
              <input type="checkbox" checked onChange={() => onNeeds(needs.filter((n) => n !== unknown))} />
              {unknown} (no such job)
            </label>
          ))}
        </div>
        <FieldProblems problems={p('needs')} testId="problems-needs" />
      </fieldset>

      <div className="course-form-grid">
        <label>
          Retries
          <ParsedInput<unknown>
            value={job.retries}
            format={text}
            parse={(t) => (t.trim() === '' ? undefined : /^\d+$/.test(t.trim()) ? Number(t.trim()) : t)}
            onValue={(v) => onField('retries', v)}
            inputMode="numeric"
            data-testid="job-retries"
          />
          <FieldProblems problems={p('retries')} testId="problems-retries" />
        </label>
        <label>
          Retry delay
          <input value={text(job.retryDelay)} placeholder="e.g. 30s" onChange={(e) => onField('retryDelay', e.target.value || undefined)} data-testid="job-retry-delay" />
          <FieldProblems problems={p('retryDelay')} testId="problems-retryDelay" />
        </label>
        <label>
          Timeout
          <input value={text(job.timeout)} placeholder="e.g. 10m" onChange={(e) => onField('timeout', e.target.value || undefined)} data-testid="job-timeout" />
          <FieldProblems problems={p('timeout')} testId="problems-timeout" />
        </label>
        <label>
          Runs on (executor labels)
          <ParsedInput<string[]>
            value={needsList(job.runsOn)}
            format={formatList}
            parse={parseList}
            onValue={(v) => onField('runsOn', v)}
            placeholder="e.g. linux, gpu"
            data-testid="job-runs-on"
          />
          <FieldProblems problems={p('runsOn')} testId="problems-runsOn" />
        </label>
      </div>

      <fieldset>
        <legend>Environment</legend>
        <table className="course-env">
          <tbody>
            {env.map(([k, v], i) => (
              <tr key={i}>
                <td>
                  <input
                    value={k}
                    aria-label="variable name"
                    placeholder="NAME"
                    data-testid={`env-key-${i}`}
                    onChange={(e) => onField('env', replaceRow(env, i, [e.target.value, v]))}
                  />
                </td>
                <td>
                  <input value={v} aria-label="value" placeholder="value" data-testid={`env-value-${i}`} onChange={(e) => onField('env', replaceRow(env, i, [k, e.target.value]))} />
                </td>
                <td>
                  <button type="button" onClick={() => onField('env', rowsToEnv(env.filter((_, j) => j !== i)))} data-testid={`env-remove-${i}`} aria-label={`Remove ${k}`}>
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => onField('env', rowsToEnv([...env, [freshKey(env), '']]))} data-testid="env-add">
          Add variable
        </button>
        <FieldProblems problems={p('env')} testId="problems-env" />
      </fieldset>
      <p className="muted">Other keys (workdir, killGrace, notify) are edited in the YAML view.</p>
    </section>
  );
}

function envRows(env: unknown): [string, string][] {
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return [];
  return Object.entries(env as Record<string, unknown>).map(([k, v]) => [k, text(v)]);
}

function rowsToEnv(rows: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of rows) out[k] = v;
  return out;
}

/** A row edit; a key renamed onto another row's key is kept apart with a suffix until fixed. */
function replaceRow(rows: [string, string][], i: number, row: [string, string]): Record<string, string> {
  const next = rows.map((r, j) => (j === i ? row : r));
  const seen = new Set<string>();
  return rowsToEnv(
    next.map(([k, v]) => {
      let key = k;
      while (seen.has(key)) key = `${key}_`;
      seen.add(key);
      return [key, v];
    }),
  );
}

function freshKey(rows: [string, string][]): string {
  const taken = new Set(rows.map(([k]) => k));
  for (let i = 1; ; i++) if (!taken.has(`VAR_${i}`)) return `VAR_${i}`;
}
