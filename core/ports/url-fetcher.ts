import type { Readable } from 'node:stream';

/**
 * Open a document or result URL as a stream (adapters/http/fetch-url.ts).
 * Rejects with a classified `DeliveryError`: transient for network errors,
 * timeouts and retryable statuses, permanent otherwise. The stream errors
 * when more than `maxBytes` arrive.
 */
export type UrlFetcher = (url: string, options: { timeoutMs: number; maxBytes: number }) => Promise<Readable>;
