export { RunView } from './run-view';
export { RunGantt } from './gantt';
export { JobOutput } from './job-output';
export { ganttModel } from './gantt-model';
