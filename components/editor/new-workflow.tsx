'use client';
// "New workflow": a name (and group) prompt that opens the editor on a name not saved yet.
import { useState, type FormEvent } from 'react';
import { useMe } from '../shell';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export function NewWorkflowForm() {
  const { me } = useMe();
  const groups = (me?.groups ?? []).filter((g) => g.role === 'editor' || g.role === 'admin').map((g) => g.name);
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!NAME.test(n)) {
      setError('a name of letters, digits, _ . -, starting with a letter or digit');
      return;
    }
    const g = group || groups[0];
    window.location.assign(`/workflows/${encodeURIComponent(n)}/edit${g ? `?group=${encodeURIComponent(g)}` : ''}`);
  };
  return (
    <form className="course-new-workflow" onSubmit={submit} data-testid="new-workflow-form">
      <input value={name} onChange={(e) => setName(e.target.value)} placeholder="new workflow name" aria-label="New workflow name" data-testid="new-workflow-name" />
      {groups.length > 1 || me?.isSiteAdmin ? (
        <input value={group} onChange={(e) => setGroup(e.target.value)} list="course-new-groups" placeholder={groups[0] ?? 'group'} aria-label="Group" data-testid="new-workflow-group" size={10} />
      ) : null}
      <datalist id="course-new-groups">
        {groups.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
      <button type="submit" data-testid="new-workflow">
        New workflow
      </button>
      {error ? <span className="error">{error}</span> : null}
    </form>
  );
}
