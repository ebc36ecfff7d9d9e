// The test users and groups global-setup.ts creates. `team-a` holds the workflows under test; its
// editor builds them, its viewer only looks; the outsider belongs to `team-b` only.
export const ADMIN_PASSWORD = 'e2e-admin-password-1';

export const GROUPS = ['team-a', 'team-b'] as const;

export interface TestUser {
  username: string;
  password: string;
  groups: Record<string, 'viewer' | 'operator' | 'editor' | 'admin'>;
}

export const USERS = {
  editor: { username: 'edith', password: 'edith-password-123', groups: { 'team-a': 'editor' } },
  viewer: { username: 'victor', password: 'victor-password-123', groups: { 'team-a': 'viewer' } },
  outsider: { username: 'olga', password: 'olga-password-1234', groups: { 'team-b': 'editor' } },
} satisfies Record<string, TestUser>;
