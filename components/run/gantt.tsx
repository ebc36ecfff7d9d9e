'use client';
// The run's timeline (Gantt): a row per job, a bar per attempt (retries visible), growing while
// the run goes on. Built for 500 rows: the grid is drawn once for all rows, rows are memoized on
// their content, and the scale moves in round steps, so a tick re-renders only growing bars.
import { memo, useMemo } from 'react';
import { useNow } from '../graph/ticker';
import { ganttModel, type GanttRow, type GanttRun } from './gantt-model';

export const RunGantt = memo(function RunGantt({ run, order, onSelectJob, selectedJob }: { run: GanttRun; order: string[] | null; onSelectJob?: (job: string) => void; selectedJob?: string | null }) {
  const now = useNow(run.endedAt === null);
  const model = useMemo(() => ganttModel(run, order, now || Date.now()), [run, order, now]);
  return (
    <div className="course-gantt" data-testid="run-gantt" role="table" aria-label="Timeline of the jobs' attempts">
      <div className="course-gantt-axis" aria-hidden>
        <span className="course-gantt-label" />
        <span className="course-gantt-track">
          {model.ticks.map((t, i) => (
            <span key={i} className="course-gantt-tick" style={{ left: `${t.pct}%` }}>
              {t.label}
            </span>
          ))}
        </span>
      </div>
      <div className="course-gantt-rows">
        <div className="course-gantt-grid" aria-hidden style={{ height: model.rows.length * 24 }}>
          <span className="course-gantt-label" />
          <span className="course-gantt-track">
            {model.ticks.map((t, i) => (
              <span key={i} className="course-gantt-line" style={{ left: `${t.pct}%` }} />
            ))}
          </span>
        </div>
        {model.rows.map((row) => (
          <Row key={row.job} row={row} sig={signature(row)} selected={selectedJob === row.job} onSelectJob={onSelectJob} />
        ))}
      </div>
    </div>
  );
});

function signature(row: GanttRow): string {
  return `${row.state}|${row.retryAtPct ?? ''}|${row.bars.map((b) => `${b.attempt}:${b.state}:${b.leftPct.toFixed(2)}:${b.widthPct.toFixed(2)}:${b.title}`).join(',')}`;
}

const Row = memo(
  function Row({ row, selected, onSelectJob }: { row: GanttRow; sig: string; selected: boolean; onSelectJob?: (job: string) => void }) {
    return (
      <div
        role="row"
        className={`course-gantt-row${selected ? ' selected' : ''}`}
        data-testid={`gantt-row-${row.job}`}
        data-attempts={row.bars.length}
        onClick={() => onSelectJob?.(row.job)}
      >
        <span className="course-gantt-label" role="rowheader" title={row.job}>
          {row.job} <span className={`state state-${row.state}`}>{row.state}</span>
        </span>
        <span className="course-gantt-track" role="cell">
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
    );
  },
  (a, b) => a.sig === b.sig && a.selected === b.selected && a.onSelectJob === b.onSelectJob,
);
