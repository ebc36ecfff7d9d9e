export { Shell } from './shell';
export { MeProvider, useMe, type MeState } from './me';
export { adminGroups, can, canEditSomewhere, isAnyAdmin, roleIn } from './roles';
export { signOutEverywhere } from './sign-out';
export { StateBadge, STATE_WORDS } from './state-badge';
