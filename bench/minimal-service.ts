/**
 * The reference of `bench/compare.ts`: the least a dossier intake can do. Hono on
 * @hono/node-server, parse the JSON, one INSERT, one BullMQ `add`, no validation.
 * Env: DATABASE_URL, REDIS_URL, QUEUE_PREFIX, PORT. Prints "listening <port>".
 */
import { serve } from '@hono/node-server';
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query('create table if not exists minimal_dossiers (code text primary key, content jsonb not null, created_at timestamptz not null default now())');
const queue = new Queue('minimal', { connection: new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null }), prefix: process.env.QUEUE_PREFIX! });
const app = new Hono().post('/v1/dossiers', async (c) => {
  const dossier = await c.req.json<{ code: string }>();
  const { rows } = await pool.query('insert into minimal_dossiers (code, content) values ($1, $2) returning created_at', [dossier.code, dossier]);
  await queue.add('deliver', { code: dossier.code });
  return c.json({ code: dossier.code, status: 'received', createdAt: rows[0].created_at }, 202);
});
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => console.log(`listening ${info.port}`));
