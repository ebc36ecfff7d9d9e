'use client';
// Admin (`/admin`): users (site admins: create, disable, reset password), groups and their
// memberships with roles (site admins; group admins for their groups), the user's own personal
// API tokens (everyone), the audit trail (site and group admins) and a test email (site admins).
// What a tab shows follows GET /auth/me; the API refuses the rest and its message is shown.
import { AUDIT_ACTIONS } from '../../lib/contracts/audit-actions';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { apiGet, apiSend, seg } from '../api/client';
import type {
  AuditEntry,
  AuditList,
  CreatedToken,
  GroupInfo,
  GroupList,
  MemberList,
  Role,
  TestEmailResult,
  TokenList,
  UserInfo,
  UserList,
} from '../api/types';
import { useApi } from '../api/use-api';
import { useMe } from '../shell/me';
import { adminGroups } from '../shell/roles';
import { formatLocal, formatRelative } from './format';
import { Empty, ErrorNote, Loading, Section, useNow } from './ui';

const ROLES: Role[] = ['viewer', 'operator', 'editor', 'admin'];
const MIN_PASSWORD = 8;

type Tab = 'users' | 'groups' | 'tokens' | 'audit' | 'email';
const TAB_LABEL: Record<Tab, string> = { users: 'Users', groups: 'Groups and members', tokens: 'API tokens', audit: 'Audit trail', email: 'Test email' };

export function AdminPage() {
  const { me } = useMe();
  const siteAdmin = !!me?.isSiteAdmin;
  const groupAdmin = adminGroups(me).length > 0;
  const tabs: Tab[] = me === undefined ? [] : [...(siteAdmin ? (['users'] as Tab[]) : []), ...(siteAdmin || groupAdmin ? (['groups'] as Tab[]) : []), 'tokens', ...(siteAdmin || groupAdmin ? (['audit'] as Tab[]) : []), ...(siteAdmin ? (['email'] as Tab[]) : [])];
  const [tab, setTab] = useState<Tab | null>(null);

  useEffect(() => {
    const fromHash = () => {
      const h = window.location.hash.slice(1) as Tab;
      if (h in TAB_LABEL) setTab(h);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, []);

  const shown: Tab | null = tab && tabs.includes(tab) ? tab : (tabs[0] ?? null);
  const pick = (t: Tab) => {
    setTab(t);
    window.history.replaceState(null, '', `#${t}`);
  };

  return (
    <>
      <h1>Admin</h1>
      {me === undefined ? <Loading /> : null}
      {me === null ? <p className="muted">Your roles could not be read; the tabs below may be refused.</p> : null}
      <div className="tabs" role="tablist" aria-label="Admin sections">
        {tabs.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={shown === t} onClick={() => pick(t)} data-testid={`tab-${t}`}>
            {TAB_LABEL[t]}
          </button>
        ))}
      </div>
      {shown === 'users' ? <UsersTab /> : null}
      {shown === 'groups' ? <GroupsTab siteAdmin={siteAdmin} /> : null}
      {shown === 'tokens' ? <TokensTab /> : null}
      {shown === 'audit' ? <AuditTab /> : null}
      {shown === 'email' ? <EmailTab /> : null}
    </>
  );
}

/** A form action's state: busy, error, done-message. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const run = useCallback(async (fn: () => Promise<string | void>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const msg = await fn();
      if (msg) setDone(msg);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, done, run, setError };
}

function Done({ text }: { text?: string }) {
  return text ? (
    <div className="ok-note" role="status">
      {text}
    </div>
  ) : null;
}

// ---- users ----------------------------------------------------------------------------------

function UsersTab() {
  const users = useApi<UserList>('/admin/users');
  const groups = useApi<GroupList>('/admin/groups');
  const action = useAction();
  const [resetFor, setResetFor] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');

  const patch = (u: UserInfo, body: Record<string, unknown>, msg: string) =>
    action.run(async () => {
      await apiSend('PATCH', `/admin/users/${seg(u.username)}`, body);
      await users.reload();
      return msg;
    });

  return (
    <>
      <Section title="Users" testId="users">
        <ErrorNote error={users.error} />
        <ErrorNote error={action.error} testId="user-action-error" />
        <Done text={action.done} />
        {!users.data && !users.error ? <Loading /> : null}
        {users.data ? (
          <table data-testid="users-table">
            <thead>
              <tr>
                <th>User</th>
                <th>Email</th>
                <th>Groups and roles</th>
                <th>State</th>
                <th>Created</th>
                <th aria-label="Actions"></th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((u) => (
                <tr key={u.id} data-testid={`user-row-${u.username}`}>
                  <td>
                    <strong>{u.username}</strong> {u.isSiteAdmin ? <span className="tag">site admin</span> : null}
                  </td>
                  <td>{u.email ?? <span className="muted">—</span>}</td>
                  <td>{u.groups.length ? u.groups.map((g) => <span key={g.name} className="tag">{g.name}: {g.role}</span>) : <span className="muted">none</span>}</td>
                  <td>
                    <span className={`badge ${u.disabled ? 'exec-lost' : 'exec-online'}`} data-testid="user-state">
                      {u.disabled ? 'disabled' : 'active'}
                    </span>
                  </td>
                  <td className="small">{formatLocal(u.createdAt)}</td>
                  <td className="row-actions">
                    {resetFor === u.username ? (
                      <form
                        className="inline-form"
                        onSubmit={async (e) => {
                          e.preventDefault();
                          if (await patch(u, { password: newPassword }, `password of ${u.username} reset; their sessions signed in before now have ended`)) {
                            setResetFor(null);
                            setNewPassword('');
                          }
                        }}
                      >
                        <input type="password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} placeholder="new password" aria-label={`New password for ${u.username}`} minLength={MIN_PASSWORD} autoComplete="new-password" data-testid="reset-password-input" />
                        <button type="submit" disabled={action.busy || newPassword.length < MIN_PASSWORD} data-testid="reset-password-save">
                          Set
                        </button>
                        <button type="button" onClick={() => setResetFor(null)}>
                          Cancel
                        </button>
                      </form>
                    ) : (
                      <>
                        <button type="button" onClick={() => setResetFor(u.username)} data-testid={`reset-password-${u.username}`} aria-label={`Reset the password of ${u.username}`}>
                          Reset password
                        </button>{' '}
                        <button
                          type="button"
                          className={u.disabled ? undefined : 'danger'}
                          disabled={action.busy}
                          onClick={() => void patch(u, { disabled: !u.disabled }, `${u.username} ${u.disabled ? 'enabled' : 'disabled'}`)}
                          data-testid={`${u.disabled ? 'enable' : 'disable'}-${u.username}`}
                          aria-label={`${u.disabled ? 'Enable' : 'Disable'} user ${u.username}`}
                        >
                          {u.disabled ? 'Enable' : 'Disable'}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Section>
      <CreateUser groups={groups.data?.groups ?? []} onCreated={() => void users.reload()} />
    </>
  );
}

function CreateUser({ groups, onCreated }: { groups: GroupInfo[]; onCreated: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [siteAdmin, setSiteAdmin] = useState(false);
  const [group, setGroup] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const body: Record<string, unknown> = { username, password };
      if (email) body.email = email;
      if (siteAdmin) body.isSiteAdmin = true;
      if (group) body.groups = { [group]: role };
      await apiSend('POST', '/admin/users', body);
      setUsername('');
      setPassword('');
      setEmail('');
      setSiteAdmin(false);
      onCreated();
      return `user ${username} created`;
    });
  };
  return (
    <Section title="Create a user" testId="create-user-section">
      <form className="inline-form" onSubmit={submit} data-testid="create-user-form">
        <input value={username} onChange={(e) => setUsername(e.target.value)} placeholder="username" aria-label="Username" required data-testid="new-username" autoComplete="off" />
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder={`password (${MIN_PASSWORD}+ characters)`} aria-label="Password" required data-testid="new-password" autoComplete="new-password" />
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="email (optional)" aria-label="Email" data-testid="new-email" />
        <select value={group} onChange={(e) => setGroup(e.target.value)} aria-label="Group to join" data-testid="new-user-group">
          <option value="">no group</option>
          {groups.map((g) => (
            <option key={g.name} value={g.name}>
              {g.name}
            </option>
          ))}
        </select>
        {group ? <RoleSelect value={role} onChange={setRole} label="Role in the group" testId="new-user-role" /> : null}
        <label className="small">
          <input type="checkbox" checked={siteAdmin} onChange={(e) => setSiteAdmin(e.target.checked)} /> site admin
        </label>
        <button type="submit" className="primary" disabled={action.busy} data-testid="create-user">
          Create user
        </button>
      </form>
      <ErrorNote error={action.error} testId="create-user-error" title="Not created" />
      <Done text={action.done} />
    </Section>
  );
}

function RoleSelect({ value, onChange, label, testId }: { value: Role; onChange: (r: Role) => void; label: string; testId?: string }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Role)} aria-label={label} data-testid={testId}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}

// ---- groups and memberships -----------------------------------------------------------------

function GroupsTab({ siteAdmin }: { siteAdmin: boolean }) {
  const groups = useApi<GroupList>('/admin/groups');
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState('');
  const action = useAction();
  const list = (groups.data?.groups ?? []).filter((g) => siteAdmin || g.role === 'admin');
  const current = selected && list.some((g) => g.name === selected) ? selected : (list[0]?.name ?? null);

  return (
    <div className="grid-2">
      <Section title="Groups" testId="groups">
        <ErrorNote error={groups.error} />
        <ErrorNote error={action.error} testId="group-action-error" />
        <Done text={action.done} />
        {!groups.data && !groups.error ? <Loading /> : null}
        {groups.data ? (
          <table data-testid="groups-table">
            <thead>
              <tr>
                <th>Group</th>
                <th>Members</th>
                <th>Workflows</th>
                <th aria-label="Actions"></th>
              </tr>
            </thead>
            <tbody>
              {list.map((g) => (
                <tr key={g.name} data-testid={`group-row-${g.name}`} className={g.name === current ? 'selected' : undefined}>
                  <td>
                    <button type="button" className="link-button" onClick={() => setSelected(g.name)} aria-pressed={g.name === current} data-testid={`select-group-${g.name}`}>
                      {g.name}
                    </button>
                  </td>
                  <td className="num">{g.members}</td>
                  <td className="num">{g.workflows}</td>
                  <td className="row-actions">
                    {siteAdmin ? (
                      <button
                        type="button"
                        className="danger"
                        disabled={action.busy}
                        aria-label={`Delete group ${g.name}`}
                        data-testid={`delete-group-${g.name}`}
                        onClick={() => {
                          if (!window.confirm(`Delete group ${g.name} and its memberships?`)) return;
                          void action.run(async () => {
                            await apiSend('DELETE', `/admin/groups/${seg(g.name)}`);
                            await groups.reload();
                            return `group ${g.name} deleted`;
                          });
                        }}
                      >
                        Delete
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {siteAdmin ? (
          <form
            className="inline-form"
            data-testid="create-group-form"
            onSubmit={(e) => {
              e.preventDefault();
              void action.run(async () => {
                await apiSend('POST', '/admin/groups', { name });
                await groups.reload();
                setSelected(name);
                setName('');
                return `group ${name} created`;
              });
            }}
          >
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="new group name" aria-label="New group name" required data-testid="new-group-name" />
            <button type="submit" disabled={action.busy} data-testid="create-group">
              Create group
            </button>
          </form>
        ) : null}
      </Section>
      {current ? <Members group={current} onChange={() => void groups.reload()} /> : null}
    </div>
  );
}

function Members({ group, onChange }: { group: string; onChange: () => void }) {
  const members = useApi<MemberList>(`/admin/groups/${seg(group)}/members`);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const action = useAction();
  const change = (fn: () => Promise<unknown>, msg: string) =>
    action.run(async () => {
      await fn();
      await members.reload();
      onChange();
      return msg;
    });

  return (
    <Section title={`Members of ${group}`} testId="members">
      <ErrorNote error={members.error} />
      <ErrorNote error={action.error} testId="member-action-error" />
      <Done text={action.done} />
      {!members.data && !members.error ? <Loading /> : null}
      {members.data && members.data.members.length === 0 ? <Empty>No member yet.</Empty> : null}
      {members.data && members.data.members.length > 0 ? (
        <table data-testid="members-table">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th aria-label="Actions"></th>
            </tr>
          </thead>
          <tbody>
            {members.data.members.map((m) => (
              <tr key={m.username} data-testid={`member-row-${m.username}`}>
                <td>
                  {m.username} {m.disabled ? <span className="tag">disabled</span> : null}
                </td>
                <td>
                  <RoleSelect
                    value={m.role}
                    label={`Role of ${m.username} in ${group}`}
                    testId={`member-role-${m.username}`}
                    onChange={(r) => void change(() => apiSend('PATCH', `/admin/groups/${seg(group)}/members/${seg(m.username)}`, { role: r }), `${m.username} is now ${r} in ${group}`)}
                  />
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="danger"
                    disabled={action.busy}
                    aria-label={`Remove ${m.username} from ${group}`}
                    data-testid={`remove-member-${m.username}`}
                    onClick={() => void change(() => apiSend('DELETE', `/admin/groups/${seg(group)}/members/${seg(m.username)}`), `${m.username} removed from ${group}`)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form
        className="inline-form"
        data-testid="add-member-form"
        onSubmit={(e) => {
          e.preventDefault();
          void change(() => apiSend('POST', `/admin/groups/${seg(group)}/members`, { username, role }), `${username} added to ${group} as ${role}`).then((ok) => ok && setUsername(''));
        }}
      >
        <input value={username} onChange={(e) => setUsername(e.target.value)} placeholder="username" aria-label="Username to add" required data-testid="add-member-username" />
        <RoleSelect value={role} onChange={setRole} label="Role" testId="add-member-role" />
        <button type="submit" disabled={action.busy} data-testid="add-member">
          Add member
        </button>
      </form>
    </Section>
  );
}

// ---- personal API tokens --------------------------------------------------------------------

function TokensTab() {
  const tokens = useApi<TokenList>('/auth/tokens');
  const [name, setName] = useState('');
  const [days, setDays] = useState('30');
  const [created, setCreated] = useState<CreatedToken | undefined>();
  const action = useAction();
  const now = useNow(30_000);

  return (
    <>
      <Section title="Create a personal API token" testId="create-token-section">
        <p className="muted small">For the CLI and scripts: <code>COURSE_TOKEN=… course runs</code>. It acts as you, with your roles.</p>
        <form
          className="inline-form"
          data-testid="create-token-form"
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(async () => {
              const t = await apiSend<CreatedToken>('POST', '/auth/tokens', { name, expiresInDays: Number(days) || undefined });
              setCreated(t);
              setName('');
              await tokens.reload();
            });
          }}
        >
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="label, e.g. laptop CLI" aria-label="Token name" required data-testid="token-name" />
          <label className="small">
            valid for <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} className="narrow" aria-label="Days valid" data-testid="token-days" /> days
          </label>
          <button type="submit" className="primary" disabled={action.busy} data-testid="create-token">
            Create token
          </button>
        </form>
        <ErrorNote error={action.error} testId="token-error" />
        {created ? (
          <div className="once" data-testid="new-token">
            <p>
              Token <strong>{created.name}</strong> — copy it now, it is shown only once:
            </p>
            <code className="secret" data-testid="new-token-value">
              {created.token}
            </code>
            <p className="muted small">Valid until {formatLocal(created.expiresAt)}.</p>
            <button type="button" onClick={() => setCreated(undefined)}>
              Done
            </button>
          </div>
        ) : null}
      </Section>
      <Section title="Your API tokens" testId="tokens">
        <ErrorNote error={tokens.error} />
        {!tokens.data && !tokens.error ? <Loading /> : null}
        {tokens.data && tokens.data.tokens.length === 0 ? <Empty>No token yet.</Empty> : null}
        {tokens.data && tokens.data.tokens.length > 0 ? (
          <table data-testid="tokens-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>State</th>
                <th>Created</th>
                <th>Expires</th>
                <th>Last used</th>
                <th aria-label="Actions"></th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((t) => (
                <tr key={t.id} data-testid={`token-row-${t.id}`}>
                  <td>{t.name}</td>
                  <td>
                    <span className={`badge ${t.state === 'active' ? 'exec-online' : 'state-skipped'}`} data-testid="token-state">
                      {t.state}
                    </span>
                  </td>
                  <td className="small">{formatLocal(t.createdAt)}</td>
                  <td className="small">{t.revokedAt ? <span className="muted">revoked {formatLocal(t.revokedAt)}</span> : `${formatLocal(t.expiresAt)} (${formatRelative(t.expiresAt, now)})`}</td>
                  <td className="small">{t.lastUsedAt ? formatRelative(t.lastUsedAt, now) : <span className="muted">never</span>}</td>
                  <td className="row-actions">
                    {t.state === 'active' ? (
                      <button
                        type="button"
                        className="danger"
                        disabled={action.busy}
                        aria-label={`Revoke token ${t.name}`}
                        data-testid={`revoke-token-${t.id}`}
                        onClick={() =>
                          void action.run(async () => {
                            await apiSend('DELETE', `/auth/tokens/${t.id}`);
                            await tokens.reload();
                            return `token ${t.name} revoked`;
                          })
                        }
                      >
                        Revoke
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <Done text={action.done} />
      </Section>
    </>
  );
}

// ---- audit ----------------------------------------------------------------------------------

function AuditTab() {
  const [filters, setFilters] = useState({ workflow: '', group: '', action: '' });
  const [entries, setEntries] = useState<AuditEntry[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [more, setMore] = useState(false);
  const PAGE = 100;

  const load = useCallback(
    async (before?: number) => {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (filters.workflow) q.set('workflow', filters.workflow);
      if (filters.group) q.set('group', filters.group);
      if (filters.action) q.set('action', filters.action);
      if (before) q.set('before', String(before));
      try {
        const r = await apiGet<AuditList>(`/audit?${q}`);
        setEntries((old) => (before ? [...(old ?? []), ...r.entries] : r.entries));
        setMore(r.entries.length === PAGE);
        setError(undefined);
      } catch (e) {
        setError(e);
      }
    },
    [filters],
  );
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Section title="Audit trail" testId="audit" actions={<button type="button" onClick={() => void load()}>Refresh</button>}>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <input placeholder="workflow" value={filters.workflow} onChange={(e) => setFilters({ ...filters, workflow: e.target.value })} aria-label="Filter by workflow" data-testid="audit-workflow" />
        <input placeholder="group" value={filters.group} onChange={(e) => setFilters({ ...filters, group: e.target.value })} aria-label="Filter by group" data-testid="audit-group" />
        <select value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.target.value })} aria-label="Filter by action" data-testid="audit-action">
          <option value="">every action</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </form>
      <ErrorNote error={error} />
      {!entries && !error ? <Loading /> : null}
      {entries && entries.length === 0 ? <Empty>Nothing recorded{filters.workflow || filters.group || filters.action ? ' for these filters' : ''}.</Empty> : null}
      {entries && entries.length > 0 ? (
        <table data-testid="audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Group</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid={`audit-row-${e.id}`}>
                <td className="small">{formatLocal(e.at)}</td>
                <td>{e.actor ?? <span className="muted">Course</span>}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  <AuditTarget target={e.target} />
                </td>
                <td>{e.group ?? ''}</td>
                <td className="small">{describeDetails(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {more && entries ? (
        <button type="button" onClick={() => void load(entries[entries.length - 1].id)} data-testid="audit-older">
          Older entries
        </button>
      ) : null}
    </Section>
  );
}


function AuditTarget({ target }: { target: string }) {
  const [kind, ...rest] = target.split(':');
  const id = rest.join(':');
  if (kind === 'workflow' && id) return <a href={`/workflows/${encodeURIComponent(id)}`}>{target}</a>;
  if (kind === 'run' && /^\d+$/.test(id)) return <a href={`/runs/${id}`}>{target}</a>;
  return <>{target}</>;
}

function describeDetails(d: Record<string, unknown>): string {
  const parts = Object.entries(d).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const text = parts.join(' · ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

// ---- test email -----------------------------------------------------------------------------

function EmailTab() {
  const [to, setTo] = useState('');
  const action = useAction();
  return (
    <Section title="Send a test email" testId="test-email">
      <p className="muted small">Checks COURSE_SMTP_URL and COURSE_MAIL_FROM: the message is sent at once and the SMTP server’s answer shown.</p>
      <form
        className="inline-form"
        data-testid="test-email-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const r = await apiSend<TestEmailResult>('POST', '/admin/test-email', { to });
            return `sent to ${r.to}: ${r.message}`;
          });
        }}
      >
        <input type="email" value={to} onChange={(e) => setTo(e.target.value)} placeholder="ops@example.com" aria-label="Send the test email to" required data-testid="test-email-to" />
        <button type="submit" className="primary" disabled={action.busy} data-testid="send-test-email">
          {action.busy ? 'Sending…' : 'Send test email'}
        </button>
      </form>
      <ErrorNote error={action.error} testId="test-email-error" title="Not sent" />
      <Done text={action.done} />
    </Section>
  );
}
