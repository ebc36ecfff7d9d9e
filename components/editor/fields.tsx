'use client';
// Small form pieces for the editor: a text input that keeps what is typed while the model holds a
// parsed value (a list of labels, a number), and the problems of one field.
import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react';
import type { Problem } from '../../lib/domain/types';

/**
 * An input over a parsed value: `format` shows the value, `parse` reads the text. What is typed
 * stays as typed ("a, " while typing a list) until the value changes from elsewhere.
 */
export function ParsedInput<T>({
  value,
  format,
  parse,
  onValue,
  ...rest
}: { value: T; format: (v: T) => string; parse: (text: string) => T; onValue: (v: T) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const [text, setText] = useState(() => format(value));
  const last = useRef(value);
  useEffect(() => {
    if (!same(last.current, value)) {
      last.current = value;
      setText(format(value));
    }
  }, [value, format]);
  return (
    <input
      {...rest}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const v = parse(e.target.value);
        last.current = v;
        onValue(v);
      }}
    />
  );
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function FieldProblems({ problems, testId }: { problems: Problem[] | undefined; testId: string }) {
  if (!problems || problems.length === 0) return null;
  return (
    <ul className="course-field-problems" data-testid={testId} role="alert">
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

/** Labels as typed: "gpu, linux" or "gpu linux" → ['gpu', 'linux']. */
export const parseList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
export const formatList = (v: string[]): string => v.join(', ');
