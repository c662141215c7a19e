import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../core/use-cases/index.js';
import type { GatewayEnv } from '../env.js';
import { json } from '../schemas.js';
import { renderPublicPage } from './public-page.js';

const publicProcedureSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    sector: z.string().nullable(),
    department: z.object({ id: z.string(), name: z.string() }).nullable(),
    processingTime: z.object({ value: z.number(), unit: z.string() }),
    fees: z.array(z.object({ code: z.string(), name: z.string(), amount: z.number() })),
  })
  .meta({ id: 'PublicProcedure' });

const listing = createRoute({
  method: 'get',
  path: '/public/procedures',
  tags: ['public'],
  summary: 'The public listing of procedures (no key): code, name, sector, deciding department, processing time, fees',
  responses: { 200: json(z.object({ items: z.array(publicProcedureSchema) }), 'the listing') },
});

/** What the center must publish, without a key: the JSON listing and the page `/public` (in Vietnamese). */
export function publicRoutes(services: Services) {
  const app = new OpenAPIHono<GatewayEnv>();
  app.openapi(listing, async (c) => c.json({ items: await services.procedures.publicList() }, 200));
  app.get('/public', async (c) => c.html(renderPublicPage(await services.procedures.publicList())));
  return app;
}
