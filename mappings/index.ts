import type { Mapper } from '../core/mapper.js';
import { JsonataMapper } from './engine.js';

export { expressionsOf, JsonataMapper, type MapperOptions } from './engine.js';
export { describeJsonataError, MappingError } from '../core/mapping-error.js';
export { DATE_PATTERNS, formatDate, HELPERS, removeDiacritics, TIME_ZONE, type DatePattern, type Helper } from './helpers.js';

/** The process-wide mapper: one compiled-expression cache shared by every department. */
export const mapper: Mapper = new JsonataMapper();
