// The supervision pipe between `npm start` and its children: the supervisor gives each child a
// pipe on stdin (COURSE_SUPERVISED=1) and never writes to it. When the supervisor dies, even by
// kill -9, the pipe closes and the child stops itself as it would on SIGTERM, so no web, worker
// or executor is left running without its supervisor.
export function stopWhenSupervisorGone(stop: () => void): void {
  if (process.env.COURSE_SUPERVISED !== '1') return;
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
