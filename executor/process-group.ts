// Signals and liveness of a task's process group (the task runs as a session/group leader, so its
// group id is its pid). Kept apart from the runner so the rules live in one place.

import { readdirSync, readFileSync } from 'node:fs';

/** Sends `signal` to every process of group `pgid`. False when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (!(pgid > 1)) return false; // never -0 or -1: those mean "my group" and "everyone"
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: a member changed identity (setuid); nothing more we may do about it.
    return false;
  }
}

/**
 * True while any process of group `pgid` is still running. Zombies do not count: where PID 1 does
 * not reap orphans (some containers), `kill(-pgid, 0)` keeps succeeding for processes that are
 * long dead, so on Linux we look at /proc instead. Elsewhere the signal probe is the best we have.
 */
export function groupAlive(pgid: number): boolean {
  if (!(pgid > 1)) return false;
  // The cheap probe first: no member at all (the usual case once a task ended) needs no scan.
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform === 'linux') {
    try {
      return linuxGroupAlive(pgid);
    } catch {
      // /proc unreadable: the probe's answer stands.
    }
  }
  return true;
}

function linuxGroupAlive(pgid: number): boolean {
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue; // exited while we looked
    }
    const info = parseStat(stat);
    if (info && info.pgrp === pgid && info.state !== 'Z' && info.state !== 'X') return true;
  }
  return false;
}

/** State and process group from a /proc/PID/stat line (the command name may hold spaces and parentheses). */
export function parseStat(stat: string): { state: string; ppid: number; pgrp: number } | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const fields = stat.slice(close + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]) };
}

/** True when `pid` is a running (not zombie) process. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const info = parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
    return !!info && info.state !== 'Z' && info.state !== 'X';
  } catch {
    return false;
  }
}
