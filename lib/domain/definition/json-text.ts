// A strict JSON (RFC 8259) reader. JSON.parse cannot be used alone: it keeps the last of two
// equal keys without a word, and its error messages carry no line or column on every Node
// version. This reader gives both: all duplicate keys with their paths, or the first syntax error
// with its position. Values come out exactly as JSON.parse would make them.

import type { Problem, Result } from '../types';
import { describePosition, joinPath, positionAt } from './source-position';

/** Nesting deeper than any definition needs; guards the recursion against a hostile body. */
const MAX_DEPTH = 200;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseJsonText(text: string): Result<unknown> {
  const reader = new JsonReader(text);
  let value: unknown;
  try {
    value = reader.readDocument();
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const where = describePosition(positionAt(text, e.offset));
    return { ok: false, problems: [{ path: '', message: `JSON syntax error at ${where}: ${e.message}` }] };
  }
  if (reader.duplicates.length > 0) return { ok: false, problems: reader.duplicates };
  return { ok: true, value };
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonReader {
  private i = 0;
  readonly duplicates: Problem[] = [];

  constructor(private readonly text: string) {}

  readDocument(): unknown {
    this.skipSpace();
    if (this.i >= this.text.length) throw new JsonSyntaxError('the body is empty; expected a JSON object', this.i);
    const value = this.readValue('', 0);
    this.skipSpace();
    if (this.i < this.text.length) throw new JsonSyntaxError('unexpected text after the end of the JSON value', this.i);
    return value;
  }

  private readValue(path: string, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`nested more than ${MAX_DEPTH} levels deep`, this.i);
    const c = this.text[this.i];
    if (c === '{') return this.readObject(path, depth);
    if (c === '[') return this.readArray(path, depth);
    if (c === '"') return this.readString();
    if (c === '-' || (c >= '0' && c <= '9')) return this.readNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    if (c === undefined) throw new JsonSyntaxError('unexpected end of input; expected a value', this.i);
    throw new JsonSyntaxError(`unexpected ${JSON.stringify(c)}; expected a value (strings need double quotes)`, this.i);
  }

  private readObject(path: string, depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.i++; // '{'
    this.skipSpace();
    if (this.text[this.i] === '}') {
      this.i++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.i] !== '"') this.fail("expected a property name in double quotes");
      const keyOffset = this.i;
      const key = this.readString();
      const keyPath = joinPath(path, key);
      if (seen.has(key)) {
        const where = describePosition(positionAt(this.text, keyOffset));
        this.duplicates.push({ path: keyPath, message: `duplicate key '${key}' at ${where}; each key may appear only once` });
      }
      seen.add(key);
      this.skipSpace();
      this.expect(':', "expected ':' after the property name");
      this.skipSpace();
      // defineProperty, not assignment: a key named "__proto__" must stay a plain own property.
      Object.defineProperty(result, key, {
        value: this.readValue(keyPath, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      if (this.text[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect('}', "expected ',' or '}' after a property value");
      return result;
    }
  }

  private readArray(path: string, depth: number): unknown[] {
    const result: unknown[] = [];
    this.i++; // '['
    this.skipSpace();
    if (this.text[this.i] === ']') {
      this.i++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      result.push(this.readValue(joinPath(path, result.length), depth + 1));
      this.skipSpace();
      if (this.text[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect(']', "expected ',' or ']' after a list item");
      return result;
    }
  }

  private readString(): string {
    const start = this.i;
    this.i++; // opening quote
    let out = '';
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) throw new JsonSyntaxError('unterminated string', start);
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c < ' ') this.fail('control character in a string; escape it (\\n, \\t, \\u0000)');
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const e = this.text[this.i + 1];
      if (e === 'u') {
        const hex = this.text.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('\\u must be followed by four hex digits');
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        this.i += 2;
      } else {
        this.fail('invalid escape in a string');
      }
    }
  }

  private readNumber(): number {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail('invalid number');
    this.i += m![0].length;
    return Number(m![0]);
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else return;
    }
  }

  private expect(c: string, message: string): void {
    if (this.text[this.i] !== c) this.fail(message);
    this.i++;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.i);
  }
}
