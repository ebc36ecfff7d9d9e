// A run's or job run's state as a word with its colour (never colour alone). Colours: globals.css,
// `.state-<state>`; shared with the graphs through the same class names.
export const STATE_WORDS: Record<string, string> = {
  new: 'new',
  queued: 'queued',
  executing: 'executing',
  success: 'success',
  failure: 'failure',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

export function StateBadge({ state, label, testId = 'state-badge', title }: { state: string; label?: string; testId?: string; title?: string }) {
  const word = STATE_WORDS[state] ?? state;
  return (
    <span
      className={`badge state state-${state}`}
      data-testid={testId}
      data-state={state}
      aria-label={label ? `${label}: ${word}` : `state: ${word}`}
      title={title}
    >
      {word}
    </span>
  );
}
