// Workflow use cases: save (with its checks), read, list, versions, delete.
export { invalidDefinition, saveWorkflow, type SaveResult } from './save';
export { getWorkflow, listVersions, listWorkflows } from './read';
export { deleteWorkflow } from './delete';
export { nestersOf, savedChildren } from './graph';
