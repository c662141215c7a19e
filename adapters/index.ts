import type { AdapterFactory } from '../core/adapter.js';
import { fileDropAdapterFactory } from './file-drop/index.js';
import { restAdapterFactory } from './rest/index.js';
import { soapAdapterFactory } from './soap/index.js';

/** Every transport this build knows, by `transport.type`. Add each new adapter folder here. */
export const adapterFactories: Record<string, AdapterFactory> = {
  rest: restAdapterFactory,
  soap: soapAdapterFactory,
  'file-drop': fileDropAdapterFactory,
};

/** The factory of a transport type, or undefined when the type is unknown. */
export function adapterFactory(type: string): AdapterFactory | undefined {
  return Object.hasOwn(adapterFactories, type) ? adapterFactories[type] : undefined;
}
