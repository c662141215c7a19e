import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { problem } from './problem.js';

/**
 * The validator's terse refusals of a JSON body ("Unsupported Media Type",
 * "Malformed JSON in request body"), turned into problems that say what to
 * send: 415 naming the Content-Type to use, 400 for an empty body (often
 * `curl -d @file` with a file that is not there), 400 with the parser's
 * reason for broken JSON. Undefined when `err` is none of those.
 */
export async function bodyProblem(err: unknown, c: Context): Promise<Response | undefined> {
  if (!(err instanceof HTTPException)) return undefined;
  if (err.status === 415) {
    const type = c.req.header('content-type');
    return problem(c, 415, `send Content-Type: application/json (this request ${type ? `said "${type}"` : 'had none'})`);
  }
  if (err.status === 400 && /malformed json/i.test(err.message)) {
    const text = await c.req.text().catch(() => '');
    if (!text.trim()) {
      return problem(c, 400, 'the body is empty: send a JSON document with Content-Type: application/json (with curl -d @file.json, check that the file exists)');
    }
    let reason = 'not valid JSON';
    try {
      JSON.parse(text);
    } catch (e) {
      reason = (e as Error).message;
    }
    return problem(c, 400, `the body is not valid JSON: ${reason}`);
  }
  return undefined;
}
