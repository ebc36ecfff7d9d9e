import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from './index';

function problemsOf(text: string, format: 'yaml' | 'json') {
  const r = parseDefinitionText(text, format);
  if (r.ok) throw new Error(`expected problems, got ${JSON.stringify(r.value)}`);
  return r.problems;
}

function valueOf(text: string, format: 'yaml' | 'json') {
  const r = parseDefinitionText(text, format);
  if (!r.ok) throw new Error(`expected a value, got ${JSON.stringify(r.problems)}`);
  return r.value;
}

describe('YAML', () => {
  it('reads a definition', () => {
    const text = ['name: wf', 'jobs:', '  a: { command: "echo a", timeout: 10m }', '  b:', '    command: echo b', '    needs: [a]', ''].join('\n');
    expect(valueOf(text, 'yaml')).toEqual({
      name: 'wf',
      jobs: { a: { command: 'echo a', timeout: '10m' }, b: { command: 'echo b', needs: ['a'] } },
    });
  });

  it('refuses a duplicate job, naming its path and position', () => {
    const text = ['name: wf', 'jobs:', '  build: { command: a }', '  test: { command: b }', '  build: { command: c }', ''].join('\n');
    expect(problemsOf(text, 'yaml')).toEqual([
      { path: 'jobs.build', message: expect.stringMatching(/^duplicate key 'build' at line 5, column 3/) },
    ]);
  });

  it('refuses duplicates at the top level, in flow mappings and inside list items, all at once', () => {
    const text = [
      'name: a',
      'jobs: {}',
      'notify:',
      '  onFailure:',
      '    - { email: a@example.com, email: b@example.com }',
      'name: b',
      '',
    ].join('\n');
    const problems = problemsOf(text, 'yaml');
    // In the order they appear in the text.
    expect(problems.map((p) => p.path)).toEqual(['notify.onFailure.0.email', 'name']);
    expect(problems[0].message).toContain('line 5, column 31');
    expect(problems[1].message).toContain('line 6, column 1');
  });

  it('treats keys that become the same object key as duplicates', () => {
    expect(problemsOf("jobs:\n  1: { command: a }\n  '1': { command: b }\n", 'yaml')).toEqual([
      { path: 'jobs.1', message: expect.stringContaining('duplicate key') },
    ]);
  });

  it('allows the same key under different parents', () => {
    expect(valueOf('a: { command: x }\nb: { command: y }\n', 'yaml')).toEqual({ a: { command: 'x' }, b: { command: 'y' } });
  });

  it('gives the line and column of a syntax error', () => {
    const problems = problemsOf('name: wf\njobs:\n  a: [1, 2\nb: 3\n', 'yaml');
    expect(problems[0].path).toBe('');
    expect(problems[0].message).toMatch(/^YAML syntax error at line 4, column 1: /);
  });

  it('refuses several documents in one text', () => {
    expect(problemsOf('name: a\njobs: {}\n---\nname: b\n', 'yaml')[0].message).toMatch(/line 3, column 1.*multiple documents/);
  });

  it('reads YAML 1.2: yes/on and dates stay text, << is an ordinary key', () => {
    expect(valueOf('a: yes\non: off\nd: 2001-12-14\nbase: &b { x: 1 }\nm: { <<: *b }\n', 'yaml')).toEqual({
      a: 'yes',
      on: 'off',
      d: '2001-12-14',
      base: { x: 1 },
      m: { '<<': { x: 1 } },
    });
  });

  it('refuses keys that are not plain text', () => {
    const problems = problemsOf('jobs:\n  ? [a, b]\n  : { command: x }\n', 'yaml');
    expect(problems).toEqual([{ path: 'jobs', message: expect.stringContaining('not plain text') }]);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const text = [
      'a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      '',
    ].join('\n');
    expect(problemsOf(text, 'yaml')).toEqual([{ path: '', message: expect.stringContaining('alias') }]);
  });

  it('keeps a __proto__ key as data, not as the prototype', () => {
    const v = valueOf('__proto__: { polluted: true }\n', 'yaml') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads an empty text as null (validation then says what is missing)', () => {
    expect(valueOf('', 'yaml')).toBeNull();
    expect(valueOf('# nothing yet\n', 'yaml')).toBeNull();
  });

  it('ignores a byte-order mark', () => {
    expect(valueOf('\uFEFFname: wf\n', 'yaml')).toEqual({ name: 'wf' });
  });
});

describe('JSON', () => {
  it('refuses a duplicate job that JSON.parse would silently drop', () => {
    const text = '{\n  "name": "wf",\n  "jobs": {\n    "build": {"command": "a"},\n    "build": {"command": "b"}\n  }\n}';
    expect(JSON.parse(text).jobs.build.command).toBe('b'); // what this guards against
    expect(problemsOf(text, 'json')).toEqual([
      { path: 'jobs.build', message: expect.stringMatching(/^duplicate key 'build' at line 5, column 5/) },
    ]);
  });

  it('reports every duplicate, with list indexes in the path', () => {
    const text = '{"name":"a","notify":{"onFailure":[{"email":"x@y","email":"z@y"}]},"name":"b"}';
    expect(problemsOf(text, 'json').map((p) => p.path)).toEqual(['notify.onFailure.0.email', 'name']);
  });

  it('treats keys equal after unescaping as duplicates', () => {
    expect(problemsOf('{"ab": 1, "a\\u0062": 2}', 'json')).toEqual([
      { path: 'ab', message: expect.stringContaining("duplicate key 'ab'") },
    ]);
  });

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}'"],
    ['{"a": 1,}', 1, 9, 'expected a property name'],
    ["{'a': 1}", 1, 2, 'expected a property name'],
    ['{a: 1}', 1, 2, 'expected a property name'],
    ['{"a": 1} // note', 1, 10, 'unexpected text after'],
    ['{"a": [1, 2,]}', 1, 13, 'expected a value'],
    ['{"a": 01}', 1, 8, "expected ',' or '}'"],
    ['{"a": NaN}', 1, 7, 'expected a value'],
    ['{"a": "x\\q"}', 1, 9, 'invalid escape'],
    ['{"a": "\\u12"}', 1, 8, 'four hex digits'],
    ['{"a": "tab\there"}', 1, 11, 'control character'],
    ['{"a": "open', 1, 7, 'unterminated string'],
    ['{"a": 1', 1, 8, "expected ',' or '}'"],
    ['', 1, 1, 'empty'],
    ['  \n ', 2, 2, 'empty'],
    ['{"a"\n:\n', 3, 1, 'unexpected end of input'],
  ])('%j: syntax error at line %d, column %d', (text, line, column, fragment) => {
    const problems = problemsOf(text, 'json');
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('');
    expect(problems[0].message).toMatch(new RegExp(`^JSON syntax error at line ${line}, column ${column}: `));
    expect(problems[0].message).toContain(fragment);
  });

  it.each([
    '{}',
    '[]',
    ' {"a" : [ 1 , -2.5e3 , 0.0 , 1E+2 , 3e-2 ] }\r\n',
    '{"s":"q\\"b\\\\s\\/n\\n\\r\\t\\b\\f","u":"\\u00e9\\u4e2d\\ud83d\\ude00","raw":"é中😀"}',
    '{"t":true,"f":false,"n":null,"nested":{"a":{"b":{"c":[[],[{}]]}}}}',
    '"just a string"',
    '-0',
    '123456789012345678901234567890',
    '{"":"empty key","a b":"space"}',
  ])('reads %j exactly as JSON.parse does', (text) => {
    expect(valueOf(text, 'json')).toStrictEqual(JSON.parse(text));
  });

  it('keeps a __proto__ key as data, as JSON.parse does', () => {
    const v = valueOf('{"__proto__": {"polluted": true}, "jobs": {}}', 'json') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'jobs']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses absurd nesting with a problem instead of overflowing the stack', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(problemsOf(text, 'json')[0].message).toContain('nested more than');
  });

  it('refuses YAML sent as JSON', () => {
    expect(problemsOf('name: wf\njobs: {}\n', 'json')[0].message).toMatch(/^JSON syntax error at line 1, column 1/);
  });

  it('ignores a byte-order mark', () => {
    expect(valueOf('\uFEFF{"name":"wf"}', 'json')).toEqual({ name: 'wf' });
  });
});
