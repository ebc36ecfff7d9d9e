// The typed client of /api/v1 for every page (see client.ts).
export { ApiFailure, API_BASE, apiGet, apiSend, errorMessage, outputUrl, problemsOf, seg, type ApiProblem } from './client';
export { useApi, type ApiResource } from './use-api';
export type * from './types';
