/**
 * `npm run demo`: builds the demo (and the library bundle if missing) and serves it on http://127.0.0.1 with a tiny
 * static server that sends the strict Content-Security-Policy with every response. The port is $PORT, else 8080,
 * else any free one.
 *
 * The server serves three things only, all from flat folders (no sub-paths, so no path tricks): the page's own
 * files (examples/browser/*.html, .css, .svg), the built scripts and digits (examples/out/browser/), and the
 * library bundle (dist/browser/tapegrad.min.js and its source map).
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDemo, bundleDir, outDir, pageDir } from './build.js';

/** The policy of the page (also in its <meta> tag): scripts from this origin only — no eval, nothing inline. */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
};

/** Where a request path's file lives, or null. */
export function resolvePath(pathname: string): string | null {
  if (pathname === '/') pathname = '/index.html';
  const name = pathname.slice(1);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) return null;
  const ext = extname(name);
  if (!(ext in TYPES)) return null;
  const candidates = name.startsWith('tapegrad.min.js') ? [join(bundleDir, name)]
    : ['.html', '.css', '.svg'].includes(ext) ? [join(pageDir, name)]
    : [join(outDir, name)];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

export interface DemoServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Starts the server on host:port (port 0: any free port). */
export function startServer(options: { host?: string; port?: number } = {}): Promise<DemoServer> {
  const { host = '127.0.0.1', port = 0 } = options;
  const server = createServer((req, res) => {
    const headers: Record<string, string> = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end('bad request\n');
      return;
    }
    const file = resolvePath(pathname);
    if (file === null) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)], 'Content-Length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        url: `http://${host}:${actual}/`,
        port: actual,
        server,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildDemo();
  const wanted = Number(process.env.PORT ?? 8080);
  let demo: DemoServer;
  try {
    demo = await startServer({ port: wanted });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    demo = await startServer({ port: 0 });
  }
  console.log(`tapegrad MNIST demo: ${demo.url}  (Ctrl-C to stop)`);
}
