// Real servers for the notification tests: an HTTP receiver of webhooks that honours the
// Idempotency-Key (it processes a key once and answers repeats with 200), and an SMTP server
// (smtp-server) with authentication that keeps every message it accepts. Test code only.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as the signature covers it. */
  body: string;
  at: number;
  /** False for a repeat of a key already processed. */
  processed: boolean;
}

/** How the receiver answers a request: a status (after `delayMs`), or never. */
export type Answer = { status: number; delayMs?: number } | 'hang';

export class WebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  /** Idempotency-Key → the request that was processed for it. */
  readonly processed = new Map<string, ReceivedRequest>();
  private server?: Server;
  private sockets = new Set<Socket>();
  private answers = new Map<string, (r: ReceivedRequest, nth: number) => Answer>();
  port = 0;

  /** How requests to `path` are answered (default 200 at once). `nth` counts requests to that path from 1. */
  answer(path: string, fn: (r: ReceivedRequest, nth: number) => Answer): void {
    this.answers.set(path, fn);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): ReceivedRequest[] {
    return this.received.filter((r) => r.path === path);
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0];
        const key = String(req.headers['idempotency-key'] ?? '');
        const r: ReceivedRequest = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), processed: false };
        this.received.push(r);
        const nth = this.at(path).length;
        const answer = this.answers.get(path)?.(r, nth) ?? { status: 200 };
        if (answer === 'hang') return; // never answered
        if (answer.status >= 200 && answer.status < 300) {
          // Honour the key: a repeat is acknowledged, not processed again.
          if (key && !this.processed.has(key)) {
            this.processed.set(key, r);
            r.processed = true;
          }
        }
        const send = () => {
          if (!res.destroyed) res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.status < 300 ? 'ok' : `receiver says ${answer.status}`);
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }
}

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
}

/** Header block and body of a raw message, the body decoded (quoted-printable or base64). */
export function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n(?=[ \t])/g, '');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.slice(split + 4);
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (enc === 'quoted-printable') {
    body = Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  } else if (enc === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, text: body.replace(/\r\n/g, '\n') };
}

export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  /** Recipients refused with `550 no such user` (a permanent failure). */
  readonly refuse = new Set<string>();
  private server?: SMTPServer;
  port = 0;

  constructor(readonly user = 'course', readonly password = 'mailpass') {}

  get url(): string {
    return `smtp://${this.user}:${this.password}@127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: false,
      logger: false,
      onAuth: (auth, _session, cb) => {
        if (auth.username === this.user && auth.password === this.password) cb(null, { user: auth.username });
        else cb(new Error('535 authentication failed'));
      },
      onRcptTo: (address, _session, cb) => {
        if (this.refuse.has(address.address)) {
          const err = new Error('no such user') as Error & { responseCode: number };
          err.responseCode = 550;
          cb(err);
        } else cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { headers, text } = parseMail(raw);
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            raw,
            headers,
            subject: headers.subject ?? '',
            text,
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }
}
