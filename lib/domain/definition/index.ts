// Workflow definitions: text → plain value → validated WorkflowSpec, and back to a stored form;
// plus the graph checks that saving and running need. Pure (no Node modules, no clock, no I/O).

export { parseDuration } from '../duration';
export { parseDefinitionText } from './text';
export { validateDefinition } from './validate';
export { findNeedsCycle, topologicalOrder } from './needs-graph';
export { findContainmentCycle } from './containment';
export { toStoredDefinition } from './stored';
