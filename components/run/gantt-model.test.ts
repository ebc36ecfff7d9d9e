import { describe, expect, it } from 'vitest';
import { formatOffset, ganttModel, type GanttRun } from './gantt-model';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe('ganttModel', () => {
  const run: GanttRun = {
    createdAt: t(0),
    startedAt: t(0),
    endedAt: t(100),
    jobRuns: [
      { job: 'b', state: 'failure', reason: 'exit code 1', attempts: [
        { number: 1, state: 'failure', exitCode: 1, startedAt: t(10), endedAt: t(20) },
        { number: 2, state: 'failure', exitCode: 1, startedAt: t(50), endedAt: t(100) },
      ] },
      { job: 'a', state: 'success', attempts: [{ number: 1, state: 'success', exitCode: 0, startedAt: t(0), endedAt: t(10) }] },
      { job: 'c', state: 'skipped', reason: 'dependency b failed', attempts: [] },
    ],
  };

  it('puts one bar per attempt, retries side by side, in the given order', () => {
    const m = ganttModel(run, ['a', 'b', 'c'], Date.parse(t(500)));
    expect(m.rows.map((r) => r.job)).toEqual(['a', 'b', 'c']);
    const b = m.rows[1];
    expect(b.bars.map((x) => [x.attempt, x.leftPct, x.widthPct])).toEqual([
      [1, 10, 10],
      [2, 50, 50],
    ]);
    expect(b.bars[0].title).toContain('exit code 1');
    expect(m.rows[2].bars).toEqual([]);
    expect(m.ticks[0]).toEqual({ pct: 0, label: '+0s' });
  });

  it('stretches an attempt still executing to now', () => {
    const live: GanttRun = { createdAt: t(0), startedAt: t(0), endedAt: null, jobRuns: [{ job: 'a', state: 'executing', attempts: [{ number: 1, startedAt: t(0), endedAt: null }] }] };
    const m = ganttModel(live, null, Date.parse(t(40)));
    // The scale reaches a little past now, to a round step (40 s × 1.15 → 50 s).
    expect(m.endMs - m.startMs).toBe(50_000);
    expect(m.rows[0].bars[0]).toMatchObject({ ongoing: true, widthPct: 80, state: 'executing' });
    // A second later only the growing bar changed; the scale did not.
    const m2 = ganttModel(live, null, Date.parse(t(41)));
    expect(m2.endMs).toBe(m.endMs);
    expect(m2.rows[0].bars[0].widthPct).toBe(82);
  });

  it('formats offsets', () => {
    expect(formatOffset(0)).toBe('+0s');
    expect(formatOffset(90_000)).toBe('+1m 30s');
    expect(formatOffset(7_200_000)).toBe('+2h');
  });
});
