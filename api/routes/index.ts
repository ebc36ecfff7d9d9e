// The built-in /api/v1 routes (the lead's run routes come in through ApiContext.routes).

import type { AnyRoute } from '../route';
import { adminRoutes } from './admin';
import { authRoutes } from './auth';
import { notificationRoutes } from './notifications';
import { scheduleRoutes } from './schedules';
import { systemRoutes } from './system';
import { workflowRoutes } from './workflows';

/** `allRoutes` gives every route served, for the OpenAPI document. */
export function builtinRoutes(allRoutes: () => AnyRoute[]): AnyRoute[] {
  return [...authRoutes, ...adminRoutes, ...workflowRoutes, ...scheduleRoutes, ...systemRoutes(allRoutes), ...notificationRoutes];
}
