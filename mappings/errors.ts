/** MappingError lives in core (core/mapping-error.ts): the gateway and the use-cases meet it too. */
export { describeJsonataError, MappingError } from '../core/mapping-error.js';
