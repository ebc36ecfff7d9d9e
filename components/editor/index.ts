export { WorkflowEditor } from './workflow-editor';
export { NewWorkflowForm } from './new-workflow';
