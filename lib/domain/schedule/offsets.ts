// A zone's offsets over time: where they change inside a window of instants, and the offset at
// any instant. Intl has no "next transition" API, so we sample the offset on a fixed UTC grid
// and binary-search (to the second, the tz database's resolution) between two samples that
// differ. What we learn about each grid step is kept per zone, so after the first question
// about a stretch of time, offsets there cost no Intl call at all.
//
// Assumption: no zone changes offset twice within one grid step and ends where it started
// (that would be invisible to sampling). The tz database has no such pair of transitions
// closer than 6 hours.

import { readOffset } from './timezone';

const GRID_MS = 6 * 3_600_000;

/** A run of instants [fromMs, toMs) with one offset. */
export interface OffsetSegment {
  readonly fromMs: number;
  readonly toMs: number;
  readonly offsetMs: number;
}

// What we learnt about each grid step, per zone: a transition day is asked about on every tick
// that day, so the binary search runs once; and a step's offsets answer for any instant inside it.
const found = new Map<string, Map<number, Step>>();
const FOUND_LIMIT = 20_000;

interface Transition {
  readonly atMs: number; // first instant with the new offset
  readonly offsetMs: number; // the new offset
}

interface Step {
  readonly startOffsetMs: number;
  readonly transitions: readonly Transition[];
}

/**
 * The zone's offset at the instant `utcMs`: local wall time minus UTC, in ms (Berlin in summer:
 * +7_200_000). Throws RangeError for an unknown zone or an instant outside Date's range.
 */
export function offsetAt(timezone: string, utcMs: number): number {
  const g = Math.floor(utcMs / GRID_MS) * GRID_MS;
  const step = stepAt(timezone, g);
  let offset = step.startOffsetMs;
  for (const t of step.transitions) if (t.atMs <= utcMs) offset = t.offsetMs;
  return offset;
}

/** `utcMs` on the local-as-UTC number line (wall time read as if it were UTC). */
export function toLocalMs(timezone: string, utcMs: number): number {
  return utcMs + offsetAt(timezone, utcMs);
}

/**
 * The offsets in force over [fromMs, toMs], as contiguous segments in time order; the first
 * starts at fromMs and the last ends at toMs. Usually one segment.
 */
export function offsetSegments(timezone: string, fromMs: number, toMs: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let g = Math.floor(fromMs / GRID_MS) * GRID_MS;
  let offset = offsetAt(timezone, fromMs);
  let start = fromMs;
  while (g < toMs) {
    for (const t of stepAt(timezone, g).transitions) {
      if (t.atMs <= fromMs || t.atMs > toMs || t.offsetMs === offset) continue;
      segments.push({ fromMs: start, toMs: t.atMs, offsetMs: offset });
      start = t.atMs;
      offset = t.offsetMs;
    }
    g += GRID_MS;
  }
  segments.push({ fromMs: start, toMs, offsetMs: offset });
  return segments;
}

/** The offset at grid point g and the transitions in (g, g + GRID_MS], found once per zone and step. */
function stepAt(timezone: string, g: number): Step {
  let zone = found.get(timezone);
  if (zone === undefined) {
    zone = new Map();
    found.set(timezone, zone);
  }
  const known = zone.get(g);
  if (known !== undefined) return known;

  const transitions: Transition[] = [];
  const end = g + GRID_MS;
  const startOffsetMs = readOffset(timezone, g);
  const endOffset = readOffset(timezone, end);
  let lo = g;
  let loOffset = startOffsetMs;
  // Each pass finds the first change after lo; more than one only in the rarest of years.
  while (loOffset !== endOffset) {
    let hi = end; // invariant: offset(lo) === loOffset, offset(hi) !== loOffset
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (readOffset(timezone, mid) === loOffset) lo = mid;
      else hi = mid;
    }
    const offsetMs = readOffset(timezone, hi);
    transitions.push({ atMs: hi, offsetMs });
    lo = hi;
    loOffset = offsetMs;
  }
  const step = { startOffsetMs, transitions };
  if (zone.size >= FOUND_LIMIT) zone.clear();
  zone.set(g, step);
  return step;
}
