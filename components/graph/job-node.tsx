'use client';
// One job of a graph: its name, its task, and — when a run is shown — its state as a word (not
// colour alone), its elapsed time, the reason of a failure or skip and a link to a nested
// workflow's child run. Memoized: a run update re-renders only the nodes whose data changed.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useNow } from './ticker';
import { elapsedMs, formatElapsed, type JobNode } from './to-flow';

function JobNodeView({ data, selected, isConnectable }: NodeProps<JobNode>) {
  const ticking = data.startedAt !== null && data.endedAt === null;
  const now = useNow(ticking);
  const elapsed = data.state ? elapsedMs(data, now) : null;
  const classes = ['course-job'];
  if (data.state) classes.push(`course-job-${data.state}`);
  if (data.problems) classes.push('course-job-problem');
  if (data.inCycle) classes.push('course-job-cycle');
  if (selected) classes.push('course-job-selected');
  const waitingRetry = data.state === 'executing' && data.retryAt;
  return (
    <div
      className={classes.join(' ')}
      data-testid={`job-node-${data.job}`}
      data-job={data.job}
      data-state={data.state ?? undefined}
      data-cycle={data.inCycle ? 'true' : undefined}
      data-problem={data.problems ? 'true' : undefined}
      title={[data.job, data.reason, ...(data.problems ?? [])].filter(Boolean).join('\n')}
    >
      <Handle type="target" position={Position.Left} isConnectable={isConnectable} className="course-handle" />
      <div className="course-job-head">
        <span className="course-job-name">{data.job}</span>
        {data.state ? (
          <span className={`course-job-state state state-${data.state}`} data-testid={`job-state-${data.job}`}>
            {data.state}
          </span>
        ) : null}
      </div>
      <div className="course-job-detail">
        {data.kind === 'workflow' ? (
          data.childRunId ? (
            <a href={`/runs/${data.childRunId}`} className="nodrag" data-testid={`child-run-${data.job}`} onClick={(e) => e.stopPropagation()}>
              ↳ {data.detail} · run #{data.childRunId}
            </a>
          ) : (
            <span>↳ workflow {data.detail}</span>
          )
        ) : (
          <code>{data.detail || (data.kind === 'none' ? 'no task yet' : '')}</code>
        )}
      </div>
      {data.state || data.problems ? (
        <div className="course-job-foot">
          {elapsed !== null ? <span data-testid={`job-elapsed-${data.job}`}>{formatElapsed(ticking ? Math.floor(elapsed / 1000) * 1000 : elapsed)}</span> : null}
          {data.attempts > 1 ? <span>attempt {data.attempts}</span> : null}
          {waitingRetry ? <span>retry at {new Date(data.retryAt!).toLocaleTimeString()}</span> : null}
          {data.reason && data.state !== 'success' ? (
            <span className="course-job-reason" data-testid={`job-reason-${data.job}`}>
              {data.reason}
            </span>
          ) : null}
          {data.problems ? (
            <span className="course-job-reason" data-testid={`job-problem-${data.job}`}>
              {data.problems[0]}
              {data.problems.length > 1 ? ` (+${data.problems.length - 1})` : ''}
            </span>
          ) : null}
        </div>
      ) : null}
      <Handle type="source" position={Position.Right} isConnectable={isConnectable} className="course-handle" />
    </div>
  );
}

export const JobNodeComponent = memo(JobNodeView);
export const nodeTypes = { job: JobNodeComponent };
