// Sign-in: the form posts to the API, which sets the session cookie and sends the browser to `/`.
export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <>
      <h1>Sign in</h1>
      {error ? <p className="error">{error}</p> : null}
      <form className="login" method="post" action="/api/v1/auth/session">
        <label>
          Username <input name="username" autoComplete="username" required />
        </label>
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </>
  );
}
