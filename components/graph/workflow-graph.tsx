'use client';
// WorkflowGraph: a workflow's jobs as a React Flow graph (automatic layout), optionally with a
// run's states on it (run page) or editable (editor: drag an edge from a job's right handle to
// another's left handle to make the second need the first; Delete removes the selection).
//
// Built for big graphs: the layout is computed once per structure (names and needs), toFlow's
// nodes keep their identity when their data did not change (so memoized nodes skip rendering),
// and React Flow renders only what is in view.
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './graph.css';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type FormEvent } from 'react';
import { nodeTypes } from './job-node';
import { graphLayout, jobsOf, layoutKey, reuseUnchanged, toFlow, type Flow, type JobNode, type RunSnapshot } from './to-flow';

export interface GraphEditing {
  /** A dependency drawn from `need`'s handle to `job`'s: `job` now needs `need`. */
  onConnect(need: string, job: string): void;
  /** The user deleted these jobs and edges (Delete / Backspace on the selection). */
  onDelete(jobs: string[], needs: { need: string; job: string }[]): void;
}

export interface WorkflowGraphProps {
  /** A WorkflowSpec, a stored definition (GET /workflows/{name}) or one being edited. */
  definition: unknown;
  run?: RunSnapshot | null;
  problems?: Record<string, string[]>;
  cycle?: string[] | null;
  /** The job shown as selected; undefined leaves selection to the graph. */
  selectedJob?: string | null;
  onSelectJob?: (job: string | null) => void;
  editing?: GraphEditing;
  /** CSS height of the graph; default from the graph's size. */
  height?: number | string;
  testId?: string;
}

const BIG = 80;

export function WorkflowGraph(props: WorkflowGraphProps) {
  return (
    <ReactFlowProvider>
      <GraphInner {...props} />
    </ReactFlowProvider>
  );
}

function GraphInner({ definition, run, problems, cycle, selectedJob, onSelectJob, editing, height, testId = 'workflow-graph' }: WorkflowGraphProps) {
  const jobs = useMemo(() => jobsOf(definition), [definition]);
  const key = layoutKey(jobs);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the layout depends on names and needs only
  const layout = useMemo(() => graphLayout(jobs), [key]);
  const prevFlow = useRef<Flow | null>(null);
  const big = jobs.length > BIG;
  const flow = useMemo(() => {
    const next = reuseUnchanged(prevFlow.current, toFlow(jobs, run, { layout, problems, cycle, animate: !big }));
    prevFlow.current = next;
    return next;
  }, [jobs, run, layout, problems, cycle, big]);

  // Controlled nodes: React Flow's own changes (measured sizes, selection, drags) are kept in
  // state; a node whose flow object did not change keeps its state object.
  const dragged = useRef<Record<string, { x: number; y: number }>>({});
  const fromFlow = useRef(new WeakMap<object, JobNode | Edge>());
  const [nodes, setNodes] = useState<JobNode[]>(flow.nodes);
  const [edges, setEdges] = useState<Edge[]>(flow.edges);

  useEffect(() => {
    const memo = fromFlow.current;
    setNodes((current) => {
      const byId = new Map(current.map((n) => [n.id, n]));
      return flow.nodes.map((n) => {
        const cur = byId.get(n.id);
        const wantSelected = selectedJob === undefined ? (cur?.selected ?? false) : n.id === selectedJob;
        const known = memo.get(n) as JobNode | undefined;
        if (known && cur === known && (cur.selected ?? false) === wantSelected) return cur;
        const made: JobNode = { ...n, position: dragged.current[n.id] ?? n.position, measured: cur?.measured, selected: wantSelected };
        memo.set(n, made);
        return made;
      });
    });
    setEdges((current) => {
      const byId = new Map(current.map((e) => [e.id, e]));
      return flow.edges.map((e) => {
        const cur = byId.get(e.id);
        const known = memo.get(e) as Edge | undefined;
        if (known && cur === known) return cur;
        const made: Edge = { ...e, selected: cur?.selected ?? false };
        memo.set(e, made);
        return made;
      });
    });
  }, [flow, selectedJob]);

  const onNodesChange = useCallback((changes: NodeChange<JobNode>[]) => {
    const kept = changes.filter((c) => c.type !== 'remove');
    for (const c of kept) if (c.type === 'position' && c.position) dragged.current[c.id] = c.position;
    if (kept.length) setNodes((nds) => applyNodeChanges(kept, nds));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const kept = changes.filter((c) => c.type !== 'remove');
    if (kept.length) setEdges((eds) => applyEdgeChanges(kept, eds));
  }, []);

  const onConnect = useCallback(
    (c: Connection) => {
      if (editing && c.source && c.target && c.source !== c.target) editing.onConnect(c.source, c.target);
    },
    [editing],
  );
  const onDelete = useCallback(
    ({ nodes: ns, edges: es }: { nodes: JobNode[]; edges: Edge[] }) => {
      editing?.onDelete(
        ns.map((n) => n.id),
        es.map((e) => ({ need: e.source, job: e.target })),
      );
    },
    [editing],
  );

  // Jobs added or removed (editor, YAML view): bring them all into view, at once (an animation
  // would move the nodes under a pointer about to drag). A need drawn keeps the view as it is.
  const rf = useReactFlow();
  const namesKey = jobs.map((j) => j.name).join('\n');
  const firstNames = useRef(namesKey);
  useEffect(() => {
    if (namesKey === firstNames.current || big) return;
    firstNames.current = namesKey;
    const t = setTimeout(() => void rf.fitView({ maxZoom: 1.1, padding: 0.15 }), 0);
    return () => clearTimeout(t);
  }, [namesKey, big, rf]);
  const cssHeight: CSSProperties['height'] = height ?? Math.min(Math.max(layout.height + 90, 220), big ? 640 : 520);

  return (
    <div className={big ? 'course-graph course-graph-big' : 'course-graph'} style={{ height: cssHeight }} data-testid={testId} data-jobs={jobs.length}>
      {big ? <FindJob jobs={jobs.map((j) => j.name)} onFound={(job) => onSelectJob?.(job)} /> : null}
      <ReactFlow<JobNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={editing ? onDelete : undefined}
        onNodeClick={(_, n) => onSelectJob?.(n.id)}
        onPaneClick={() => onSelectJob?.(null)}
        isValidConnection={(c) => c.source !== c.target}
        nodesDraggable
        nodesConnectable={Boolean(editing)}
        deleteKeyCode={editing ? ['Delete', 'Backspace'] : null}
        onlyRenderVisibleElements
        fitView={!big}
        fitViewOptions={{ maxZoom: 1.1, padding: 0.15 }}
        defaultViewport={{ x: 16, y: 16, zoom: 0.8 }}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        {big ? <MiniMap pannable zoomable nodeColor={(n) => stateColour((n.data as JobNode['data']).state)} /> : null}
      </ReactFlow>
    </div>
  );
}

const COLOURS: Record<string, string> = {
  new: '#afb8c1',
  queued: '#54aeff',
  executing: '#0969da',
  success: '#1a7f37',
  failure: '#cf222e',
  skipped: '#8c959f',
  cancelled: '#57606a',
};
export function stateColour(state: string | null): string {
  return state ? (COLOURS[state] ?? '#afb8c1') : '#d0d7de';
}

/** For big graphs: type a job's name, press Enter, the view centres on it and selects it. */
function FindJob({ jobs, onFound }: { jobs: string[]; onFound: (job: string) => void }) {
  const flow = useReactFlow();
  const [text, setText] = useState('');
  const [miss, setMiss] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = text.trim().toLowerCase();
    const job = jobs.find((j) => j.toLowerCase() === q) ?? jobs.find((j) => j.toLowerCase().includes(q));
    setMiss(!job);
    if (!job) return;
    const node = flow.getNode(job);
    if (node) void flow.setCenter(node.position.x + 100, node.position.y + 32, { zoom: 1, duration: 300 });
    onFound(job);
  };
  return (
    <form className="course-graph-find" onSubmit={submit} role="search">
      <input value={text} onChange={(e) => setText(e.target.value)} placeholder={`Find a job (${jobs.length})`} aria-label="Find a job" data-testid="graph-find" />
      {miss ? <span className="error">no such job</span> : null}
    </form>
  );
}
