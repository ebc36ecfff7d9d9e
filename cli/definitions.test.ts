import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOrder, detectFormat, readDefinition, readDefinitionFiles } from './definitions';

describe('detectFormat', () => {
  it('goes by extension, then by content', () => {
    expect(detectFormat('a.yml', '{}')).toBe('yaml');
    expect(detectFormat('a.JSON', 'name: x')).toBe('json');
    expect(detectFormat('-', '  {"name": "x"}')).toBe('json');
    expect(detectFormat('wf.txt', 'name: x')).toBe('yaml');
  });
});

describe('readDefinition', () => {
  it('reads the name and the workflows it nests', () => {
    const r = readDefinition({ source: 'a.yaml', format: 'yaml', text: 'name: a\njobs:\n  x: { workflow: b }\n  y: { workflow: b }\n  z: { command: "true" }\n' });
    expect(r).toMatchObject({ ok: true, def: { name: 'a', nests: ['b'] } });
  });
  it('reports syntax errors and a missing name', () => {
    expect(readDefinition({ source: 'a.json', format: 'json', text: '{"name": ' })).toMatchObject({ ok: false });
    expect(readDefinition({ source: 'a.yaml', format: 'yaml', text: 'jobs: {}\n' })).toEqual({
      ok: false,
      lines: [expect.stringContaining('name: the file has no name')],
    });
  });
});

describe('readDefinitionFiles', () => {
  it('expands a directory to its definition files, sorted', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'course-cli-'));
    for (const f of ['b.yaml', 'a.json', 'notes.md', 'c.yml']) writeFileSync(path.join(dir, f), f.endsWith('.json') ? '{}' : 'x: 1');
    expect(readDefinitionFiles([dir], () => '').map((f) => [path.basename(f.source), f.format])).toEqual([
      ['a.json', 'json'],
      ['b.yaml', 'yaml'],
      ['c.yml', 'yaml'],
    ]);
    expect(readDefinitionFiles(['-'], () => '{"name":"s"}')).toEqual([{ source: '-', text: '{"name":"s"}', format: 'json' }]);
    expect(() => readDefinitionFiles([path.join(dir, 'nope.yaml')], () => '')).toThrow('no such file or directory');
  });
});

describe('applyOrder', () => {
  it('puts nested workflows first, otherwise keeps the given order', () => {
    const defs = [
      { name: 'all', nests: ['pipeline', 'other'] },
      { name: 'pipeline', nests: ['archive'] },
      { name: 'house', nests: [] },
      { name: 'archive', nests: [] },
    ];
    expect(applyOrder(defs).map((d) => d.name)).toEqual(['archive', 'pipeline', 'all', 'house']);
  });
  it('leaves a containment cycle for the server to refuse', () => {
    expect(applyOrder([{ name: 'a', nests: ['b'] }, { name: 'b', nests: ['a'] }]).map((d) => d.name)).toEqual(['b', 'a']);
  });
});
