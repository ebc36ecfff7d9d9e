import { describe, expect, it } from 'vitest';
import { GLOBAL_FLAGS, intFlag, parseArgs, parseParams, positionals, splitCommand, type FlagSpec } from './args';
import { UsageError } from './errors';

const RUN_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'param', short: 'p', kind: 'list', help: '' },
  { name: 'wait', short: 'w', kind: 'boolean', help: '' },
  { name: 'limit', kind: 'string', help: '' },
];

describe('parseArgs', () => {
  it('reads long, short, = forms, repeated lists and positionals', () => {
    const a = parseArgs(['wf', '--param', 'A=1', '-p', 'B=2', '--param=C=3', '--wait', '--url=http://x'], RUN_FLAGS, 'run');
    expect(a.positionals).toEqual(['wf']);
    expect(a.flags).toEqual({ param: ['A=1', 'B=2', 'C=3'], wait: true, url: 'http://x' });
  });

  it('takes everything after -- as positionals, and a lone - as one', () => {
    expect(parseArgs(['-', '--', '--wait'], RUN_FLAGS).positionals).toEqual(['-', '--wait']);
  });

  it('takes a value that starts with a dash when a flag needs one', () => {
    expect(parseArgs(['--token', '-abc'], RUN_FLAGS).flags.token).toBe('-abc');
  });

  it('refuses unknown options, naming the command', () => {
    expect(() => parseArgs(['--nope'], RUN_FLAGS, 'run')).toThrow('unknown option --nope for `course run`');
    expect(() => parseArgs(['-x'], RUN_FLAGS, 'run')).toThrow(UsageError);
  });

  it('refuses a missing value and a value on a boolean', () => {
    expect(() => parseArgs(['--limit'], RUN_FLAGS)).toThrow('option --limit needs a value');
    expect(() => parseArgs(['--wait=yes'], RUN_FLAGS)).toThrow('option --wait takes no value');
  });
});

describe('splitCommand', () => {
  it('finds the command after global flags and their values', () => {
    expect(splitCommand(['--url', 'http://x', '--token=t', 'run', 'wf'])).toEqual({ command: 'run', rest: ['--url', 'http://x', '--token=t', 'wf'] });
    expect(splitCommand(['-h'])).toEqual({ command: undefined, rest: ['-h'] });
    expect(splitCommand([])).toEqual({ command: undefined, rest: [] });
  });
});

describe('parseParams', () => {
  it('splits at the first =, so values may hold =', () => {
    expect(parseParams(['A=1', 'Q=x=y', 'E='])).toEqual({ A: '1', Q: 'x=y', E: '' });
  });
  it('refuses a pair without a name, or a name given twice', () => {
    expect(() => parseParams(['A'])).toThrow("--param must be NAME=VALUE; got 'A'");
    expect(() => parseParams(['=1'])).toThrow(UsageError);
    expect(() => parseParams(['A=1', 'A=2'])).toThrow('--param A is given twice');
  });
});

describe('intFlag and positionals', () => {
  it('reads whole numbers and refuses others', () => {
    expect(intFlag(parseArgs(['--limit', '20'], RUN_FLAGS), 'limit')).toBe(20);
    expect(intFlag(parseArgs([], RUN_FLAGS), 'limit')).toBeUndefined();
    expect(() => intFlag(parseArgs(['--limit', '0'], RUN_FLAGS), 'limit')).toThrow('--limit must be a whole number of 1 or more');
    expect(() => intFlag(parseArgs(['--limit', '2x'], RUN_FLAGS), 'limit')).toThrow(UsageError);
  });
  it('names what is missing or extra', () => {
    expect(() => positionals(parseArgs(['42'], RUN_FLAGS), ['RUN', 'JOB'], 'logs')).toThrow('missing JOB: course logs RUN JOB');
    expect(() => positionals(parseArgs(['1', '2'], RUN_FLAGS), ['RUN'], 'status')).toThrow("unexpected argument '2'");
  });
});
