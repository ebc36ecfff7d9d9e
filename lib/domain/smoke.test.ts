import { describe, it, expect } from 'vitest';
import { ENDED_JOB_STATES } from './types';
describe('types', () => { it('ended job states', () => { expect(ENDED_JOB_STATES).toContain('skipped'); }); });
