// Job graphs: the pure (workflow, run) → React Flow conversion with its layout, and the component.
export { WorkflowGraph, stateColour, type GraphEditing, type WorkflowGraphProps } from './workflow-graph';
export {
  toFlow,
  jobsOf,
  graphLayout,
  layoutKey,
  elapsedMs,
  formatElapsed,
  edgeId,
  needsList,
  type Flow,
  type GraphJob,
  type JobNode,
  type JobNodeData,
  type RunSnapshot,
  type JobRunSnapshot,
  type AttemptSnapshot,
} from './to-flow';
export { layoutGraph, type Layout } from './layout';
