'use client';
// The workflow editor (`/workflows/{name}/edit`): a graph where jobs are added with a button and a
// dependency is drawn by dragging from one job's right handle onto another job; a form for the
// selected job; a YAML view that edits both ways (model.ts's reducer keeps them in step);
// problems from lib/domain's validation (instantly) and from the server's 422 (on save) shown on
// the job and field their path names, a needs cycle highlighted on the graph. Saving PUTs the
// YAML: a new version. A name that is not saved yet starts a new workflow.
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { ApiFailure, apiGet, apiSend, errorMessage, problemsOf, seg } from '../api/client';
import type { WorkflowDetail, WorkflowList, WorkflowSaved } from '../api/types';
import { WorkflowGraph, type GraphEditing } from '../graph';
import { can, useMe } from '../shell';
import type { Problem } from '../../lib/domain/types';
import { FieldProblems } from './fields';
import { JobForm } from './job-form';
import {
  addJob,
  addNeed,
  checkDefinition,
  editorReducer,
  freshJobName,
  initEditor,
  jobsRecord,
  newDefinition,
  placeProblems,
  problemMessages,
  removeJobs,
  removeNeeds,
  renameJob,
  setJobField,
  setTask,
  setTopField,
  type RawDefinition,
} from './model';
import './editor.css';

type Load = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; isNew: boolean; version: number | null };

export function WorkflowEditor({ name, group: groupHint }: { name: string; group?: string }) {
  const { me } = useMe();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [editor, dispatch] = useReducer(editorReducer, newDefinition(name, groupHint ?? 'default'), initEditor);
  const [selected, setSelected] = useState<string | null>(null);
  const [workflows, setWorkflows] = useState<string[]>([]);
  const [serverProblems, setServerProblems] = useState<{ problems: Problem[]; revision: number } | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ version: number; revision: number; created: boolean } | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [view, setView] = useState<'both' | 'graph' | 'yaml'>('both');

  useEffect(() => {
    let stop = false;
    apiGet<WorkflowDetail>(`/workflows/${seg(name)}`).then(
      (d) => {
        if (stop) return;
        dispatch({ type: 'load', definition: d.definition as RawDefinition });
        setLoad({ state: 'ready', isNew: false, version: d.currentVersion });
      },
      (e: unknown) => {
        if (stop) return;
        if (e instanceof ApiFailure && e.status === 404) {
          setLoad({ state: 'ready', isNew: true, version: null });
          return;
        }
        setLoad({ state: 'failed', message: errorMessage(e) });
      },
    );
    apiGet<WorkflowList>('/workflows').then(
      (l) => !stop && setWorkflows(l.workflows.map((w) => w.name).filter((w) => w !== name)),
      () => {},
    );
    return () => {
      stop = true;
    };
  }, [name]);

  // A new workflow goes to the first group the user may edit in, unless one was asked for.
  useEffect(() => {
    if (load.state !== 'ready' || !load.isNew || groupHint || !me) return;
    if (can(me, 'default', 'editor', false)) return;
    const first = me.groups.find((g) => g.role === 'editor' || g.role === 'admin');
    if (first) dispatch({ type: 'edit', update: (d) => (d.group === 'default' ? setTopField(d, 'group', first.name) : d) });
  }, [load, me, groupHint]);

  const def = editor.definition;
  const check = useMemo(() => checkDefinition(def, name), [def, name]);
  // The server's problems stand until the next edit.
  const shownServer = serverProblems && serverProblems.revision === editor.revision ? serverProblems.problems : null;
  const placed = useMemo(() => (shownServer ? mergePlaced(check, placeProblems(shownServer)) : check), [check, shownServer]);
  const nodeProblems = useMemo(() => problemMessages(placed), [placed]);
  const jobs = jobsRecord(def);
  const jobNames = Object.keys(jobs);
  const selectedJob = selected && Object.hasOwn(jobs, selected) ? selected : null;
  const group = typeof def.group === 'string' ? def.group : 'default';
  const mayEdit = can(me, group, 'editor');
  const dirty = editor.revision !== (saved?.revision ?? 0);

  useEffect(() => {
    if (!dirty || load.state !== 'ready') return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, load.state]);

  const edit = useCallback((update: (d: RawDefinition) => RawDefinition) => dispatch({ type: 'edit', update }), []);

  const editing: GraphEditing = useMemo(
    () => ({
      onConnect: (need, job) => edit((d) => addNeed(d, job, need)),
      onDelete: (gone, needs) => {
        edit((d) => removeJobs(removeNeeds(d, needs), gone));
        if (gone.length) setSelected(null);
      },
    }),
    [edit],
  );

  const onAdd = () => {
    const job = freshJobName(def);
    edit((d) => addJob(d, job).definition);
    setSelected(job);
  };

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    const revision = editor.revision;
    try {
      const answer = await apiSend<WorkflowSaved>('PUT', `/workflows/${seg(name)}`, editor.yaml, 'application/yaml');
      setSaved({ version: answer.version, revision, created: load.state === 'ready' && load.isNew });
      setServerProblems(null);
      setLoad({ state: 'ready', isNew: false, version: answer.version });
    } catch (e) {
      const problems = problemsOf(e);
      setServerProblems(problems.length ? { problems, revision } : null);
      setSaveError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  if (load.state === 'loading') return <p data-testid="editor-loading">Loading {name}…</p>;
  if (load.state === 'failed')
    return (
      <p className="error" data-testid="editor-error">
        {load.message}
      </p>
    );

  const selectedProblems: Record<string, Problem[]> = {};
  if (selectedJob) {
    for (const [k, ps] of Object.entries(placed.byField)) {
      if (k.startsWith(`${selectedJob}.`)) selectedProblems[k.slice(selectedJob.length + 1)] = ps;
    }
  }

  return (
    <div className="course-editor" data-testid="workflow-editor">
      <header className="course-editor-head">
        <div>
          <h1>
            {load.isNew ? 'New workflow ' : 'Edit '}
            <span data-testid="editor-name">{name}</span>
          </h1>
          <p className="muted">
            {load.isNew ? 'Not saved yet.' : `Current version ${load.version}.`}{' '}
            {!load.isNew || saved ? (
              <a href={`/workflows/${seg(name)}`} data-testid="open-workflow">
                Open the workflow
              </a>
            ) : null}
          </p>
        </div>
        <div className="course-editor-actions">
          <label>
            Group
            <input
              value={group}
              list="course-edit-groups"
              onChange={(e) => edit((d) => setTopField(d, 'group', e.target.value))}
              data-testid="workflow-group"
              size={12}
            />
            <datalist id="course-edit-groups">
              {(me?.groups ?? []).map((g) => (
                <option key={g.name} value={g.name}>
                  {g.role}
                </option>
              ))}
            </datalist>
          </label>
          <button type="button" className="primary" onClick={() => void save()} disabled={saving} data-testid="save-workflow">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </header>
      <div className="course-editor-status" aria-live="polite">
        {!mayEdit ? <p className="warning">You are not an editor in group {group}: saving will be refused.</p> : null}
        {saved && !dirty ? (
          <p className="ok" data-testid="save-status">
            Saved: version {saved.version}.
          </p>
        ) : null}
        {dirty && (saved || !load.isNew) && !saveError ? (
          <p className="muted" data-testid="unsaved">
            Unsaved changes.
          </p>
        ) : null}
        {saveError ? (
          <p className="error" data-testid="save-error">
            Not saved: {saveError}
          </p>
        ) : null}
        <Problems placed={placed} onPick={setSelected} />
      </div>

      <div className="course-editor-toolbar">
        <button type="button" onClick={onAdd} data-testid="add-job">
          + Add job
        </button>
        <span className="muted">Drag from a job’s right handle onto another job to make it need the first. Select and press Delete to remove.</span>
        <span className="course-view-switch" role="group" aria-label="View">
          {(['both', 'graph', 'yaml'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)} data-testid={`view-${v}`}>
              {v === 'both' ? 'Graph + YAML' : v === 'graph' ? 'Graph' : 'YAML'}
            </button>
          ))}
        </span>
      </div>

      <div className={`course-editor-body view-${view}`}>
        {view !== 'yaml' ? (
          <div className="course-editor-left">
            <WorkflowGraph
              definition={def}
              problems={nodeProblems}
              cycle={check.cycle}
              selectedJob={selectedJob}
              onSelectJob={setSelected}
              editing={editing}
              height={440}
              testId="editor-graph"
            />
            {selectedJob ? (
              <JobForm
                key={selectedJob}
                name={selectedJob}
                job={jobs[selectedJob]}
                otherJobs={jobNames.filter((j) => j !== selectedJob)}
                workflows={workflows}
                problems={selectedProblems}
                onRename={(to) => {
                  const r = renameJob(def, selectedJob, to);
                  if (r.error) return r.error;
                  edit((d) => renameJob(d, selectedJob, to).definition);
                  setSelected(to);
                  return undefined;
                }}
                onTask={(kind, text) => edit((d) => setTask(d, selectedJob, kind, text))}
                onField={(key, value) => edit((d) => setJobField(d, selectedJob, key, value))}
                onNeeds={(needs) => edit((d) => setJobField(d, selectedJob, 'needs', needs))}
                onDelete={() => {
                  edit((d) => removeJobs(d, [selectedJob]));
                  setSelected(null);
                }}
              />
            ) : (
              <p className="muted" data-testid="no-job-selected">
                {jobNames.length ? 'Select a job to edit its task, needs, retries, timeout, environment and labels.' : 'No jobs yet: add one.'}
              </p>
            )}
          </div>
        ) : null}
        {view !== 'graph' ? (
          <div className="course-editor-yaml">
            <label htmlFor="course-yaml">YAML</label>
            <textarea
              id="course-yaml"
              value={editor.yaml}
              spellCheck={false}
              onChange={(e) => dispatch({ type: 'yaml', text: e.target.value })}
              data-testid="yaml-editor"
              aria-invalid={editor.yamlProblems ? true : undefined}
            />
            {editor.yamlProblems ? (
              <div data-testid="yaml-problems">
                <FieldProblems problems={editor.yamlProblems} testId="yaml-syntax" />
                <p className="muted">The graph shows the last YAML that parsed.</p>
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}

function mergePlaced(a: ReturnType<typeof placeProblems>, b: ReturnType<typeof placeProblems>): ReturnType<typeof placeProblems> {
  const seen = new Set(a.all.map((p) => `${p.path}\n${p.message}`));
  const extra = b.all.filter((p) => !seen.has(`${p.path}\n${p.message}`));
  return placeProblems([...a.all, ...extra]);
}

function Problems({ placed, onPick }: { placed: ReturnType<typeof placeProblems>; onPick: (job: string) => void }) {
  if (placed.all.length === 0)
    return (
      <p className="ok" data-testid="editor-valid">
        Valid.
      </p>
    );
  return (
    <ul className="course-problems" data-testid="editor-problems">
      {placed.all.map((p, i) => {
        const job = /^jobs\.([^.]+)/.exec(p.path)?.[1];
        return (
          <li key={i} data-path={p.path}>
            {p.path ? <code>{p.path}</code> : null} {p.message}
            {job ? (
              <>
                {' '}
                <button type="button" className="link" onClick={() => onPick(job)}>
                  show
                </button>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
