// A definition's text (an API body, a file for `course apply`, the editor) into a plain value,
// refusing duplicate keys and naming the position of syntax errors. What the value means is
// validate.ts's business.

import type { Result } from '../types';
import { parseJsonText } from './json-text';
import { parseYamlText } from './yaml-text';

export function parseDefinitionText(text: string, format: 'yaml' | 'json'): Result<unknown> {
  // A byte-order mark from a Windows editor is not content.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return format === 'json' ? parseJsonText(body) : parseYamlText(body);
}
