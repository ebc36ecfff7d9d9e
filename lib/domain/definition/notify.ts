// `notify` blocks, at workflow and at job level: who hears about which events.

import type { NotifyRules, NotifyTarget, Problem } from '../types';
import { isGiven, isRawObject, readDuration, readString, refuseUnknownKeys, show, type RawObject } from './read';
import { joinPath } from './source-position';

export const NOTIFY_EVENTS = ['onSuccess', 'onFailure', 'onRetry', 'onLongRunning'] as const;
const NOTIFY_KEYS = [...NOTIFY_EVENTS, 'longRunningAfter'] as const;
const EMAIL_KEYS = ['email'] as const;
const WEBHOOK_KEYS = ['webhook', 'secret', 'timeout'] as const;

// Deliberately loose: one '@', no spaces, nothing that could split or extend a mail header.
const EMAIL = /^[^\s@<>,;"()]+@[^\s@<>,;"()]+$/;

/** `value` is the raw `notify` value at `path` (`notify` or `jobs.build.notify`). */
export function readNotify(value: unknown, path: string, problems: Problem[]): NotifyRules | undefined {
  if (!isGiven(value)) return undefined;
  if (!isRawObject(value)) {
    problems.push({ path, message: `notify must be a mapping of events (${NOTIFY_EVENTS.join(', ')}) to lists of targets; got ${show(value)}` });
    return undefined;
  }
  refuseUnknownKeys(value, NOTIFY_KEYS, 'in notify', path, problems);

  const rules: NotifyRules = {};
  for (const event of NOTIFY_EVENTS) {
    const targets = readTargets(value[event], joinPath(path, event), event, problems);
    if (targets) rules[event] = targets;
  }
  const after = readDuration(value, 'longRunningAfter', path, problems, { positive: true });
  if (after !== undefined) rules.longRunningAfterMs = after;

  // Both halves of "tell X when a run takes longer than T" live at the same level; one without
  // the other would silently never notify anybody.
  if (isGiven(value.onLongRunning) && !isGiven(value.longRunningAfter)) {
    problems.push({
      path: joinPath(path, 'longRunningAfter'),
      message: "longRunningAfter is required with onLongRunning: say after how long a run counts as long-running, e.g. '1h'",
    });
  }
  if (isGiven(value.longRunningAfter) && !isGiven(value.onLongRunning)) {
    problems.push({
      path: joinPath(path, 'onLongRunning'),
      message: 'longRunningAfter has no effect without onLongRunning: add onLongRunning targets or remove longRunningAfter',
    });
  }
  return rules;
}

function readTargets(value: unknown, path: string, event: string, problems: Problem[]): NotifyTarget[] | undefined {
  if (!isGiven(value)) return undefined;
  if (!Array.isArray(value)) {
    problems.push({ path, message: `${event} must be a list of targets, e.g. [ {email: ops@example.com}, {webhook: "https://…"} ]; got ${show(value)}` });
    return undefined;
  }
  const targets: NotifyTarget[] = [];
  value.forEach((item, index) => {
    const target = readTarget(item, joinPath(path, index), problems);
    if (target) targets.push(target);
  });
  return targets;
}

function readTarget(value: unknown, path: string, problems: Problem[]): NotifyTarget | undefined {
  if (!isRawObject(value) || isGiven(value.email) === isGiven(value.webhook)) {
    problems.push({ path, message: `a notify target needs exactly one of email or webhook: {email: ADDRESS} or {webhook: URL, secret?, timeout?}; got ${show(value)}` });
    return undefined;
  }
  return isGiven(value.email) ? readEmailTarget(value, path, problems) : readWebhookTarget(value, path, problems);
}

function readEmailTarget(value: RawObject, path: string, problems: Problem[]): NotifyTarget | undefined {
  refuseUnknownKeys(value, EMAIL_KEYS, 'in an email target', path, problems);
  const email = readString(value, 'email', path, problems);
  if (email === undefined) return undefined;
  if (!EMAIL.test(email)) {
    problems.push({ path: joinPath(path, 'email'), message: `email must be one address such as ops@example.com; got ${show(email)}` });
    return undefined;
  }
  return { email };
}

function readWebhookTarget(value: RawObject, path: string, problems: Problem[]): NotifyTarget | undefined {
  refuseUnknownKeys(value, WEBHOOK_KEYS, 'in a webhook target', path, problems);
  const webhook = readString(value, 'webhook', path, problems);
  const secret = readString(value, 'secret', path, problems, { nonEmpty: true });
  const timeoutMs = readDuration(value, 'timeout', path, problems, { positive: true });
  if (webhook === undefined) return undefined;
  if (!isHttpUrl(webhook)) {
    problems.push({ path: joinPath(path, 'webhook'), message: `webhook must be an http:// or https:// URL; got ${show(webhook)}` });
    return undefined;
  }
  const target: NotifyTarget = { webhook };
  if (secret !== undefined) target.secret = secret;
  if (timeoutMs !== undefined) target.timeoutMs = timeoutMs;
  return target;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
