import { describe, expect, it } from 'vitest';
import { can, canEditSomewhere, isAnyAdmin, roleIn } from './roles';

const viewer = { username: 'v', isSiteAdmin: false, groups: [{ name: 'default', role: 'viewer' as const }] };
const mixed = { username: 'o', isSiteAdmin: false, groups: [{ name: 'a', role: 'admin' as const }, { name: 'default', role: 'operator' as const }] };
const site = { username: 's', isSiteAdmin: true, groups: [] };

describe('role helpers', () => {
  it('reads the role per group; site admins are admin everywhere', () => {
    expect(roleIn(viewer, 'default')).toBe('viewer');
    expect(roleIn(viewer, 'other')).toBeNull();
    expect(roleIn(site, 'anything')).toBe('admin');
  });
  it('orders roles viewer < operator < editor < admin', () => {
    expect(can(viewer, 'default', 'viewer')).toBe(true);
    expect(can(viewer, 'default', 'operator')).toBe(false);
    expect(can(mixed, 'default', 'operator')).toBe(true);
    expect(can(mixed, 'default', 'editor')).toBe(false);
    expect(can(mixed, 'a', 'editor')).toBe(true);
    expect(can(mixed, 'b', 'viewer')).toBe(false);
  });
  it('lets the API decide while the user is unknown', () => {
    expect(can(undefined, 'default', 'admin')).toBe(true);
    expect(can(null, 'default', 'admin', false)).toBe(false);
  });
  it('shows Admin to site and group admins, editing to editors', () => {
    expect(isAnyAdmin(viewer)).toBe(false);
    expect(isAnyAdmin(mixed)).toBe(true);
    expect(isAnyAdmin(site)).toBe(true);
    expect(canEditSomewhere(viewer)).toBe(false);
    expect(canEditSomewhere(mixed)).toBe(true);
  });
});
