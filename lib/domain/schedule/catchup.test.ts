import { describe, expect, it } from 'vitest';
import type { CatchupPolicy } from '../types';
import { planFires, type PlanInput } from './catchup';
import { parseCron } from './parse';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const z = (...list: string[]) => list.map((s) => new Date(s).toISOString());

function plan(p: Omit<Partial<PlanInput>, 'expr' | 'countFromMs' | 'lastFireAtMs' | 'nowMs'> & {
  cron: string;
  countFrom: string;
  lastFireAt?: string | null;
  now: string;
}) {
  const r = parseCron(p.cron);
  if (!r.ok) throw new Error(p.cron);
  const out = planFires({
    expr: r.value,
    timezone: p.timezone ?? 'UTC',
    catchup: p.catchup ?? 'latest',
    catchupLimit: p.catchupLimit ?? 100,
    countFromMs: at(p.countFrom),
    lastFireAtMs: p.lastFireAt == null ? null : at(p.lastFireAt),
    nowMs: at(p.now),
    graceMs: p.graceMs,
  });
  return { fire: out.fire.map(iso), next: iso(out.nextFireAtMs), lastHandled: iso(out.lastHandledMs), steppedBack: out.clockSteppedBack };
}

const POLICIES: CatchupPolicy[] = ['none', 'latest', 'all'];

describe('a normal tick fires under every policy', () => {
  for (const catchup of POLICIES) {
    it(catchup, () => {
      expect(plan({ cron: '0 * * * *', catchup, countFrom: '2026-05-01T00:00:30Z', now: '2026-05-01T01:00:00.500Z' })).toEqual({
        fire: z('2026-05-01T01:00:00Z'),
        next: '2026-05-01T02:00:00.000Z',
        lastHandled: '2026-05-01T01:00:00.500Z',
        steppedBack: false,
      });
      expect(
        plan({ cron: '0 * * * *', catchup, countFrom: '2026-05-01T00:00:30Z', lastFireAt: '2026-05-01T01:00:00.500Z', now: '2026-05-01T02:00:01Z' }).fire,
      ).toEqual(z('2026-05-01T02:00:00Z'));
    });
  }

  it('nothing is due between ticks', () => {
    expect(plan({ cron: '0 * * * *', countFrom: '2026-05-01T00:00:30Z', lastFireAt: '2026-05-01T02:00:01Z', now: '2026-05-01T02:30:00Z' })).toEqual({
      fire: [],
      next: '2026-05-01T03:00:00.000Z',
      lastHandled: '2026-05-01T02:30:00.000Z',
      steppedBack: false,
    });
  });

  it('a tick at exactly now is due; one at exactly lastFireAt is not', () => {
    expect(plan({ cron: '0 * * * *', countFrom: '2026-05-01T00:00:00Z', lastFireAt: '2026-05-01T01:00:00Z', now: '2026-05-01T02:00:00Z' }).fire).toEqual(
      z('2026-05-01T02:00:00Z'),
    );
  });
});

describe('downtime across several fire times', () => {
  // Hourly; last handled at 02:00:01; the worker comes back at 07:20.
  const down = { cron: '0 * * * *', countFrom: '2026-05-01T00:00:30Z', lastFireAt: '2026-05-01T02:00:01Z', now: '2026-05-01T07:20:00Z' };

  it('latest fires only the most recent', () => {
    expect(plan({ ...down, catchup: 'latest' })).toEqual({
      fire: z('2026-05-01T07:00:00Z'),
      next: '2026-05-01T08:00:00.000Z',
      lastHandled: '2026-05-01T07:20:00.000Z',
      steppedBack: false,
    });
  });

  it('all fires every one, oldest first', () => {
    expect(plan({ ...down, catchup: 'all' }).fire).toEqual(
      z('2026-05-01T03:00:00Z', '2026-05-01T04:00:00Z', '2026-05-01T05:00:00Z', '2026-05-01T06:00:00Z', '2026-05-01T07:00:00Z'),
    );
  });

  it('all is capped to the most recent catchupLimit', () => {
    expect(plan({ ...down, catchup: 'all', catchupLimit: 3 }).fire).toEqual(
      z('2026-05-01T05:00:00Z', '2026-05-01T06:00:00Z', '2026-05-01T07:00:00Z'),
    );
    expect(plan({ ...down, catchup: 'all', catchupLimit: 1 }).fire).toEqual(z('2026-05-01T07:00:00Z'));
  });

  it('none fires nothing that was missed', () => {
    expect(plan({ ...down, catchup: 'none' })).toEqual({
      fire: [],
      next: '2026-05-01T08:00:00.000Z',
      lastHandled: '2026-05-01T07:20:00.000Z',
      steppedBack: false,
    });
  });

  it('none still fires the tick that is on time (within graceMs of now)', () => {
    expect(plan({ ...down, catchup: 'none', now: '2026-05-01T07:00:59Z' }).fire).toEqual(z('2026-05-01T07:00:00Z'));
    expect(plan({ ...down, catchup: 'none', now: '2026-05-01T07:01:00Z' }).fire).toEqual(z('2026-05-01T07:00:00Z'));
    expect(plan({ ...down, catchup: 'none', now: '2026-05-01T07:01:00.001Z' }).fire).toEqual([]);
    expect(plan({ ...down, catchup: 'none', now: '2026-05-01T07:05:00Z', graceMs: 300_000 }).fire).toEqual(z('2026-05-01T07:00:00Z'));
  });

  it('none drops a single missed tick that is late (a daily job found 12 hours late)', () => {
    const daily = { cron: '0 2 * * *', countFrom: '2026-04-01T00:00:00Z', lastFireAt: '2026-05-01T02:00:00.300Z', now: '2026-05-02T14:00:00Z' };
    expect(plan({ ...daily, catchup: 'none' }).fire).toEqual([]);
    expect(plan({ ...daily, catchup: 'latest' }).fire).toEqual(z('2026-05-02T02:00:00Z'));
    expect(plan({ ...daily, catchup: 'all' }).fire).toEqual(z('2026-05-02T02:00:00Z'));
    expect(plan({ ...daily, catchup: 'none' }).next).toBe('2026-05-03T02:00:00.000Z');
  });

  it('all after three days of a minutely schedule: capped, exact ends', () => {
    const p = plan({ cron: '* * * * *', catchup: 'all', catchupLimit: 5000, countFrom: '2026-05-01T00:00:00Z', now: '2026-05-04T00:00:00Z' });
    expect([p.fire.length, p.fire[0], p.fire[p.fire.length - 1]]).toEqual([4320, '2026-05-01T00:01:00.000Z', '2026-05-04T00:00:00.000Z']);
    const capped = plan({ cron: '* * * * *', catchup: 'all', catchupLimit: 100, countFrom: '2026-05-01T00:00:00Z', now: '2026-05-04T00:00:00Z' });
    expect([capped.fire.length, capped.fire[0], capped.fire[99]]).toEqual([100, '2026-05-03T22:21:00.000Z', '2026-05-04T00:00:00.000Z']);
  });

  it('catch-up follows the wall clock through a repeated hour', () => {
    // New York, 1 Nov 2026: 01:00-02:00 happens twice; the worker was down through both passes.
    const fallBack = { cron: '*/30 1 * * *', timezone: 'America/New_York', countFrom: '2026-11-01T04:00:00Z', now: '2026-11-01T06:45:00Z' };
    expect(plan({ ...fallBack, catchup: 'all' }).fire).toEqual(
      z('2026-11-01T01:00:00-04:00', '2026-11-01T01:30:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T01:30:00-05:00'),
    );
    expect(plan({ ...fallBack, catchup: 'latest' }).fire).toEqual(z('2026-11-01T01:30:00-05:00'));
    expect(plan({ ...fallBack, catchup: 'latest' }).next).toBe('2026-11-02T06:00:00.000Z');
  });
});

describe('a clock stepped forward is downtime', () => {
  // Every 15 minutes; 10:00 fired at 10:00:00.2; the clock jumps an hour: the next poll reads 11:00:10.
  const jump = { cron: '*/15 * * * *', countFrom: '2026-05-01T09:00:00Z', lastFireAt: '2026-05-01T10:00:00.200Z', now: '2026-05-01T11:00:10Z' };

  it('latest: the current tick', () => {
    expect(plan({ ...jump, catchup: 'latest' }).fire).toEqual(z('2026-05-01T11:00:00Z'));
  });
  it('all: the skipped ticks too, capped', () => {
    expect(plan({ ...jump, catchup: 'all' }).fire).toEqual(
      z('2026-05-01T10:15:00Z', '2026-05-01T10:30:00Z', '2026-05-01T10:45:00Z', '2026-05-01T11:00:00Z'),
    );
    expect(plan({ ...jump, catchup: 'all', catchupLimit: 2 }).fire).toEqual(z('2026-05-01T10:45:00Z', '2026-05-01T11:00:00Z'));
  });
  it('none: only the tick that is on time by the new clock', () => {
    expect(plan({ ...jump, catchup: 'none' })).toEqual({
      fire: z('2026-05-01T11:00:00Z'),
      next: '2026-05-01T11:15:00.000Z',
      lastHandled: '2026-05-01T11:00:10.000Z',
      steppedBack: false,
    });
  });
});

describe('a clock stepped back does not silence the schedule', () => {
  it('the plan re-anchors on now and the next fire is the next matching wall-clock minute', () => {
    for (const catchup of POLICIES) {
      expect(
        plan({ cron: '*/15 * * * *', catchup, countFrom: '2026-05-01T09:00:00Z', lastFireAt: '2026-05-01T10:00:00.200Z', now: '2026-05-01T09:30:10Z' }),
      ).toEqual({ fire: [], next: '2026-05-01T09:45:00.000Z', lastHandled: '2026-05-01T09:30:10.000Z', steppedBack: true });
    }
  });

  it('a daily job stepped back by a day fires at its next wall-clock time, not a day late', () => {
    expect(
      plan({ cron: '0 2 * * *', countFrom: '2026-04-01T00:00:00Z', lastFireAt: '2026-05-02T02:00:00.100Z', now: '2026-05-01T12:00:00Z' }).next,
    ).toBe('2026-05-02T02:00:00.000Z');
  });

  it('never plans a time at or before countFrom, even when the clock is behind it', () => {
    expect(plan({ cron: '* * * * *', countFrom: '2026-05-01T10:07:00Z', now: '2026-05-01T10:05:30Z' })).toEqual({
      fire: [],
      next: '2026-05-01T10:08:00.000Z',
      lastHandled: '2026-05-01T10:05:30.000Z',
      steppedBack: false,
    });
    expect(
      plan({ cron: '* * * * *', countFrom: '2026-05-01T10:07:00Z', lastFireAt: '2026-05-01T10:10:00Z', now: '2026-05-01T10:05:30Z' }).next,
    ).toBe('2026-05-01T10:08:00.000Z');
  });
});

describe('countFrom: a new or re-enabled schedule counts from the moment it is saved', () => {
  it('no runs for earlier times, whatever the policy', () => {
    for (const catchup of POLICIES) {
      // Re-enabled at 10:07 after a day off; catch-up must not reach into the disabled time.
      const p = plan({ cron: '*/15 * * * *', catchup, countFrom: '2026-05-01T10:07:00Z', lastFireAt: '2026-04-30T10:00:00Z', now: '2026-05-01T10:15:02Z' });
      expect(p.fire).toEqual(z('2026-05-01T10:15:00Z'));
    }
  });

  it('the save instant itself is not due', () => {
    expect(plan({ cron: '* * * * *', catchup: 'all', countFrom: '2026-05-01T10:07:00Z', now: '2026-05-01T10:08:00Z' }).fire).toEqual(
      z('2026-05-01T10:08:00Z'),
    );
  });
});

describe('a worker loop over the plan: nothing fires twice, nothing is lost', () => {
  /**
   * A worker polling every `pollMs` along the given clock readings, storing lastHandledMs and
   * inserting each planned nominal time into a set that refuses duplicates (the database's unique
   * key). Returns the runs created and the proposals refused.
   */
  function worker(cron: string, catchup: CatchupPolicy, countFrom: string, clock: [string, string][], pollMs: number) {
    const r = parseCron(cron);
    if (!r.ok) throw new Error(cron);
    const runs = new Set<number>();
    const refused: string[] = [];
    let lastFireAtMs: number | null = null;
    let nextFireAtMs: number | null = null;
    for (const [from, to] of clock) {
      for (let now = at(from); now <= at(to); now += pollMs) {
        // Plan when due, or when the clock has gone back behind what we handled.
        const due = nextFireAtMs === null || now >= nextFireAtMs || (lastFireAtMs !== null && now < lastFireAtMs);
        if (!due) continue;
        const p = planFires({ expr: r.value, timezone: 'UTC', catchup, catchupLimit: 100, countFromMs: at(countFrom), lastFireAtMs, nowMs: now });
        for (const t of p.fire) {
          if (runs.has(t)) refused.push(iso(t)!);
          else runs.add(t);
        }
        lastFireAtMs = p.lastHandledMs;
        nextFireAtMs = p.nextFireAtMs;
      }
    }
    return { runs: [...runs].map((t) => iso(t)), refused };
  }

  it('clock stepped back half an hour: fires resume at the wall clock; re-lived times are refused by the unique key', () => {
    const w = worker('*/15 * * * *', 'latest', '2026-05-01T08:59:50Z', [
      ['2026-05-01T09:00:00Z', '2026-05-01T10:05:00Z'],
      ['2026-05-01T09:30:00Z', '2026-05-01T10:35:00Z'], // stepped back at 10:05
    ], 20_000);
    expect(w.runs).toEqual(
      z('2026-05-01T09:00:00Z', '2026-05-01T09:15:00Z', '2026-05-01T09:30:00Z', '2026-05-01T09:45:00Z', '2026-05-01T10:00:00Z', '2026-05-01T10:15:00Z', '2026-05-01T10:30:00Z'),
    );
    expect(w.refused).toEqual(z('2026-05-01T09:45:00Z', '2026-05-01T10:00:00Z'));
  });

  it('clock stepped forward an hour under all: every skipped tick once, nothing refused', () => {
    const w = worker('*/15 * * * *', 'all', '2026-05-01T08:59:50Z', [
      ['2026-05-01T09:00:00Z', '2026-05-01T09:20:00Z'],
      ['2026-05-01T10:20:00Z', '2026-05-01T10:31:00Z'], // stepped forward at 09:20
    ], 20_000);
    expect(w.runs).toEqual(
      z('2026-05-01T09:00:00Z', '2026-05-01T09:15:00Z', '2026-05-01T09:30:00Z', '2026-05-01T09:45:00Z', '2026-05-01T10:00:00Z', '2026-05-01T10:15:00Z', '2026-05-01T10:30:00Z'),
    );
    expect(w.refused).toEqual([]);
  });

  it('the same under none: only on-time ticks', () => {
    const w = worker('*/15 * * * *', 'none', '2026-05-01T08:59:50Z', [
      ['2026-05-01T09:00:00Z', '2026-05-01T09:20:00Z'],
      ['2026-05-01T10:20:00Z', '2026-05-01T10:31:00Z'],
    ], 20_000);
    expect(w.runs).toEqual(z('2026-05-01T09:00:00Z', '2026-05-01T09:15:00Z', '2026-05-01T10:30:00Z'));
  });

  it('a schedule that never fires has no next fire', () => {
    const r = parseCron('* 2 25-31 3 */7');
    if (!r.ok) throw new Error('parse');
    const p = planFires({ expr: r.value, timezone: 'Europe/Berlin', catchup: 'latest', catchupLimit: 1, countFromMs: at('2026-01-01T00:00:00Z'), lastFireAtMs: null, nowMs: at('2026-06-01T00:00:00Z') });
    expect([p.fire, p.nextFireAtMs]).toEqual([[], null]);
  });
});
