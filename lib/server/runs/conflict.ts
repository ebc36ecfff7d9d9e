// A compare-and-set on a run's lockVersion found another writer first. The whole transaction is
// retried from the start with fresh reads, so no update is ever lost (DESIGN.md, "Run supervision").
export class WriteConflict extends Error {
  constructor(what: string) {
    super(`write conflict on ${what}`);
    this.name = 'WriteConflict';
  }
}
