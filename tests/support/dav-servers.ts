/**
 * Real CardDAV servers for tests and the bench: Radicale (htpasswd plain auth, storage in a temp
 * folder, seeded by writing .vcf files straight into that folder because PUT seeding is O(n^2) there)
 * and Xandikos (no auth of its own; `--defaults` creates /user/contacts/addressbook/). Both listen
 * on 127.0.0.1 and a free port; `stop()` ends the process this helper started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

export interface DavServer {
  readonly kind: 'radicale' | 'xandikos';
  /** The URL a user types in (discovery starts here). */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Radicale only: changes the user's password (as revoking an app password would). */
  setPassword?(password: string): Promise<void>;
  /** The address book collection URL of `book` (created by `addBook`). */
  bookUrl(book: string): string;
  /** Creates an address book; Radicale through its storage folder, Xandikos with MKCOL. */
  addBook(book: string, displayName?: string): Promise<void>;
  /** Writes cards into a book: Radicale straight into storage, Xandikos with PUT. */
  seed(book: string, cards: readonly { name: string; text: string }[]): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the port accepts connections, or rejects when the process exits first. */
async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`The server exited before listening:\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`The server did not listen on ${port} within 20 s:\n${output()}`);
}

function started(command: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => text };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts Radicale with one user whose storage lives under `dir`. */
export async function startRadicale(
  dir: string,
  user = 'alice',
  password = 'app-password-1',
): Promise<DavServer> {
  const port = await freePort();
  const storage = join(dir, 'storage');
  await mkdir(storage, { recursive: true });
  await writeFile(join(dir, 'users'), `${user}:${password}\n`);
  await writeFile(
    join(dir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      'max_connections = 20',
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${join(dir, 'users')}`,
      'htpasswd_encryption = plain',
      'delay = 0',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${storage}`,
      '[logging]',
      'level = warning',
      '',
    ].join('\n'),
  );
  const { child, output } = started('radicale', ['--config', join(dir, 'config')]);
  await waitForPort(port, child, output);
  const base = `http://127.0.0.1:${port}`;
  const folderOf = (book: string) => join(storage, 'collection-root', user, book);
  let current = password;
  return {
    kind: 'radicale',
    url: base,
    user,
    get password() {
      return current;
    },
    async setPassword(next: string) {
      await writeFile(join(dir, 'users'), `${user}:${next}\n`);
      current = next;
    },
    bookUrl: (book) => `${base}/${user}/${book}/`,
    async addBook(book, displayName = book) {
      await mkdir(folderOf(book), { recursive: true });
      await writeFile(
        join(folderOf(book), '.Radicale.props'),
        JSON.stringify({ tag: 'VADDRESSBOOK', 'D:displayname': displayName }),
      );
    },
    async seed(book, cards) {
      for (const card of cards) await writeFile(join(folderOf(book), card.name), card.text);
    },
    stop: () => stopChild(child),
  };
}

/** Starts Xandikos over `dir` with its default address book (`addressbook`). */
export async function startXandikos(dir: string): Promise<DavServer> {
  const port = await freePort();
  const { child, output } = started('xandikos', [
    '--defaults',
    '-d',
    dir,
    '-l',
    '127.0.0.1',
    '-p',
    String(port),
  ]);
  await waitForPort(port, child, output);
  const base = `http://127.0.0.1:${port}`;
  const bookUrl = (book: string) => `${base}/user/contacts/${book}/`;
  return {
    kind: 'xandikos',
    url: base,
    user: 'user',
    password: 'unused-by-xandikos',
    bookUrl,
    async addBook(book, displayName = book) {
      const response = await fetch(bookUrl(book), {
        method: 'MKCOL',
        headers: { 'Content-Type': 'application/xml; charset=utf-8' },
        body:
          '<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" ' +
          'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/>' +
          `<C:addressbook/></D:resourcetype><D:displayname>${displayName}</D:displayname></D:prop>` +
          '</D:set></D:mkcol>',
      });
      if (!response.ok) throw new Error(`MKCOL ${book}: ${response.status}`);
    },
    async seed(book, cards) {
      for (const card of cards) {
        const response = await fetch(bookUrl(book) + card.name, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/vcard; charset=utf-8' },
          body: card.text,
        });
        if (!response.ok) throw new Error(`PUT ${card.name}: ${response.status} ${await response.text()}`);
      }
    },
    stop: () => stopChild(child),
  };
}
