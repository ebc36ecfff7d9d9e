// Summaries of V8 .cpuprofile files (node --cpu-prof): self time by function and by package/file,
// printed after a bench run with --cpu-prof so the top costs are visible without DevTools.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  selfMs: number;
  totalMs: number;
}

const root = path.resolve(import.meta.dirname, '..');

function shortUrl(url: string): string {
  let u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) u = u.slice(nm + 'node_modules/'.length);
  else if (u.startsWith(root)) u = u.slice(root.length + 1);
  return u || '(native)';
}

/** Bucket a url into a "package": the node_modules package, node: internals, or the repo file. */
function bucketOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  if (url.startsWith('node:')) return 'node:internal';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (u.includes('/prisma/generated/')) return 'prisma/generated (client runtime)';
  if (u.startsWith(root)) return u.slice(root.length + 1);
  return u;
}

/**
 * A window of the profile, in ms before its end (the profile ends when the process exits): only
 * samples taken between `endTime − fromEndMs` and `endTime − toEndMs` count.
 */
export interface Window {
  fromEndMs: number;
  toEndMs: number;
}

export interface Summary {
  wallMs: number;
  idleMs: number;
  byFunction: ProfileRow[];
  byBucket: ProfileRow[];
  /** inclusive time of this repository's own functions (lib/, web/, api/…) */
  repoInclusive: ProfileRow[];
}

/** Self time per function and per bucket, and inclusive time for functions, in ms. */
export function summarise(file: string, top = 25, window?: Window): Summary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const from = window ? prof.endTime - window.fromEndMs * 1000 : -Infinity;
  const to = window ? prof.endTime - window.toEndMs * 1000 : Infinity;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = prof.startTime;
  let wallUs = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const d = prof.timeDeltas[i] ?? 0;
    t += d;
    if (t < from || t > to) continue;
    wallUs += d;
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + d / 1000);
  }
  const fnSelf = new Map<string, number>();
  const fnTotal = new Map<string, number>();
  const bucketSelf = new Map<string, number>();
  let idleMs = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const cf = n.callFrame;
    if (cf.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const key = `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url)}:${cf.lineNumber + 1}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + ms);
    const b = cf.url ? bucketOf(cf.url) : cf.functionName.startsWith('(') ? cf.functionName : '(native)';
    bucketSelf.set(b, (bucketSelf.get(b) ?? 0) + ms);
    // inclusive: charge every distinct frame on the stack once
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const k = `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      fnTotal.set(k, (fnTotal.get(k) ?? 0) + ms);
    }
  }
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, selfMs]) => ({ name, selfMs, totalMs: fnTotal.get(name) ?? selfMs }));
  const repo = new Map([...fnTotal].filter(([k]) => /\s(lib|web|api|worker|server\.ts)[/:]/.test(k) && !k.includes('/generated/')));
  const repoInclusive = [...repo]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, totalMs]) => ({ name, selfMs: fnSelf.get(name) ?? 0, totalMs }));
  return { wallMs: wallUs / 1000, byFunction: rows(fnSelf), byBucket: rows(bucketSelf), idleMs, repoInclusive };
}

export function printSummary(file: string, top = 25, window?: Window & { label: string }): void {
  const s = summarise(file, top, window);
  const busy = s.wallMs - s.idleMs;
  console.log(`\nCPU profile ${file}${window ? ` — ${window.label} only` : ''}\n  wall ${s.wallMs.toFixed(0)} ms, busy ${busy.toFixed(0)} ms (${((100 * busy) / s.wallMs).toFixed(0)}%), idle ${s.idleMs.toFixed(0)} ms`);
  console.log('  self time by package / file:');
  for (const r of s.byBucket) console.log(`    ${r.selfMs.toFixed(0).padStart(7)} ms  ${((100 * r.selfMs) / busy).toFixed(1).padStart(5)}%  ${r.name}`);
  console.log('  self time by function:');
  for (const r of s.byFunction) console.log(`    ${r.selfMs.toFixed(0).padStart(7)} ms  ${((100 * r.selfMs) / busy).toFixed(1).padStart(5)}%  ${r.name}`);
  console.log("  inclusive time of Course's own functions:");
  for (const r of s.repoInclusive) console.log(`    ${r.totalMs.toFixed(0).padStart(7)} ms  ${((100 * r.totalMs) / busy).toFixed(1).padStart(5)}%  ${r.name}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const f of process.argv.slice(2)) printSummary(f, 30);
}
