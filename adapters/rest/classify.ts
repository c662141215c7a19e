/** REST failures follow the one HTTP rule (adapters/http/failure.ts). */
export { classifyHttpStatus, classifyNetworkError, httpError, snippet, type FailedRequest } from '../http/failure.js';
