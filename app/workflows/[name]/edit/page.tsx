'use client';
// The workflow editor (CONTRACT.md, "Pages"); a name not saved yet starts a new workflow
// (`?group=` picks its group).
import { useParams, useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { WorkflowEditor } from '../../../../components/editor';

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function Editor() {
  const params = useParams<{ name: string }>();
  const search = useSearchParams();
  const name = decode(params.name);
  return <WorkflowEditor key={name} name={name} group={search.get('group') ?? undefined} />;
}

export default function EditPage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <Editor />
    </Suspense>
  );
}
