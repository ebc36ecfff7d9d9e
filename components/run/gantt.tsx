'use client';
// The run's timeline (Gantt): a row per job, a bar per attempt (retries visible), ticking while
// the run goes on.
import { memo, useMemo } from 'react';
import { useNow } from '../graph/ticker';
import { ganttModel, type GanttRun } from './gantt-model';

export const RunGantt = memo(function RunGantt({ run, order, onSelectJob, selectedJob }: { run: GanttRun; order: string[] | null; onSelectJob?: (job: string) => void; selectedJob?: string | null }) {
  const now = useNow(run.endedAt === null);
  const model = useMemo(() => ganttModel(run, order, now || Date.now()), [run, order, now]);
  return (
    <div className="course-gantt" data-testid="run-gantt" role="table" aria-label="Timeline of the jobs' attempts">
      <div className="course-gantt-axis" aria-hidden>
        <span className="course-gantt-label" />
        <span className="course-gantt-track">
          {model.ticks.map((t) => (
            <span key={t.pct} className="course-gantt-tick" style={{ left: `${t.pct}%` }}>
              {t.label}
            </span>
          ))}
        </span>
      </div>
      <div className="course-gantt-rows">
        {model.rows.map((row) => (
          <div
            key={row.job}
            role="row"
            className={`course-gantt-row${selectedJob === row.job ? ' selected' : ''}`}
            data-testid={`gantt-row-${row.job}`}
            data-attempts={row.bars.length}
            onClick={() => onSelectJob?.(row.job)}
          >
            <span className="course-gantt-label" role="rowheader" title={row.job}>
              {row.job} <span className={`state state-${row.state}`}>{row.state}</span>
            </span>
            <span className="course-gantt-track" role="cell">
              {model.ticks.map((t) => (
                <span key={t.pct} className="course-gantt-grid" style={{ left: `${t.pct}%` }} />
              ))}
              {row.bars.map((b) => (
                <span
                  key={b.attempt}
                  className={`course-gantt-bar bar-${b.state}${b.ongoing ? ' ongoing' : ''}${row.bars.length > 1 ? ' labelled' : ''}`}
                  style={{ left: `${b.leftPct}%`, width: `${b.widthPct}%` }}
                  title={b.title}
                  data-testid={`gantt-bar-${row.job}-${b.attempt}`}
                >
                  {row.bars.length > 1 ? `#${b.attempt}` : ''}
                </span>
              ))}
              {row.retryAtPct !== null ? <span className="course-gantt-retry" style={{ left: `${Math.min(row.retryAtPct, 99)}%` }} title="next attempt due" /> : null}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
});
