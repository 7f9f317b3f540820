// The gateway of an azure environment in tests, where no container can run: an HTTP server that either answers for
// itself (a 503 while the agents' container groups are not running, an injected fault) or forwards the request to a
// platform running in the test process.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request: answer it, or forward it to a platform's URL. */
export type GatewayAnswer = { status: number; body: unknown } | { forward: string };

export interface GatewayProxy {
  url: string;
  close(): Promise<void>;
}

export async function startGatewayProxy(route: (req: http.IncomingMessage) => GatewayAnswer | Promise<GatewayAnswer>): Promise<GatewayProxy> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const answer = await route(req);
      if (!('forward' in answer)) {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
        return;
      }
      const upstream = await fetch(new URL(req.url ?? '/', answer.forward), {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    })().catch((err: Error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: err.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
