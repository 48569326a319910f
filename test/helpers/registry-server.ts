import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The part of the Confluent Schema Registry REST API that the Confluent client
 * uses to register and fetch schemas, in memory. It stands in for the registry
 * only (no registry server is packaged for this machine); Kafka itself is never
 * faked. Ids are global and equal schemas get the same id, as in the real one.
 */
export interface TestRegistry {
  url: string;
  close(): Promise<void>;
  ids(): number[];
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const byId = new Map<number, string>();
  const idOf = new Map<string, number>();
  const config = new Map<string, string>();
  const reply = (res: import('node:http').ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = req.url ?? '';
      let m: RegExpExecArray | null;
      if (req.method === 'GET' && (m = /^\/schemas\/ids\/(\d+)/.exec(url))) {
        const schema = byId.get(Number(m[1]));
        return schema === undefined ? reply(res, 404, { error_code: 40403, message: 'Schema not found' }) : reply(res, 200, { schema });
      }
      if (req.method === 'POST' && (m = /^\/subjects\/([^/]+)\/versions$/.exec(url))) {
        const { schema } = JSON.parse(body) as { schema: string };
        const canonical = JSON.stringify(JSON.parse(schema));
        let id = idOf.get(canonical);
        if (id === undefined) {
          id = byId.size + 1;
          byId.set(id, canonical);
          idOf.set(canonical, id);
        }
        return reply(res, 200, { id });
      }
      if ((m = /^\/config\/([^/]+)$/.exec(url))) {
        const subject = decodeURIComponent(m[1] ?? '');
        if (req.method === 'PUT') {
          const { compatibility } = JSON.parse(body) as { compatibility: string };
          config.set(subject, compatibility);
          return reply(res, 200, { compatibility });
        }
        const level = config.get(subject);
        return level === undefined ? reply(res, 404, { error_code: 40401, message: 'Subject not found' }) : reply(res, 200, { compatibilityLevel: level });
      }
      return reply(res, 404, { error_code: 404, message: `not implemented: ${req.method} ${url}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ids: () => [...byId.keys()],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
