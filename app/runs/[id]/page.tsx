'use client';
// A run, live (CONTRACT.md, "Pages").
import { useParams } from 'next/navigation';
import { RunView } from '../../../components/run';

export default function RunPage() {
  const params = useParams<{ id: string }>();
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) return <p className="error">No run {params.id}: a run id is a positive number.</p>;
  return <RunView key={id} id={id} />;
}
