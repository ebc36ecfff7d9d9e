// Role helpers for hiding what the signed-in user's role does not allow. Pure; the API's
// permission check stays the only real one (a hidden button is a courtesy, not a guard).
import type { Me, Role } from '../api/types';

const RANK: Record<Role, number> = { viewer: 1, operator: 2, editor: 3, admin: 4 };

/** The user's role in `group`: `admin` for a site admin, null for a non-member. */
export function roleIn(me: Me | null | undefined, group: string): Role | null {
  if (!me) return null;
  if (me.isSiteAdmin) return 'admin';
  return me.groups.find((g) => g.name === group)?.role ?? null;
}

/**
 * Whether the user holds `needed` (or more) in `group`. Without a known user (GET /auth/me not
 * answered yet or not available) it answers `unknownAs` — default true, so the buttons show and
 * the API decides.
 */
export function can(me: Me | null | undefined, group: string, needed: Role, unknownAs = true): boolean {
  if (me === undefined || me === null) return unknownAs;
  const held = roleIn(me, group);
  return held !== null && RANK[held] >= RANK[needed];
}

/** Whether the user may create workflows in some group (editor or more anywhere). */
export function canEditSomewhere(me: Me | null | undefined): boolean {
  if (!me) return false;
  return me.isSiteAdmin || me.groups.some((g) => RANK[g.role] >= RANK.editor);
}

/** Site admins and group admins see the Admin page. */
export function isAnyAdmin(me: Me | null | undefined): boolean {
  if (!me) return false;
  return me.isSiteAdmin || me.groups.some((g) => g.role === 'admin');
}

/** The groups the user administers (every group's name is not known here for site admins). */
export function adminGroups(me: Me | null | undefined): string[] {
  if (!me) return [];
  return me.groups.filter((g) => g.role === 'admin').map((g) => g.name);
}
