import { describe, expect, it } from 'vitest';
import { departmentConfigSchema } from '../core/model/department.js';
import { fixtures } from '../tests/helpers/fixtures.js';
import { adapterFactory } from '../adapters/index.js';
import { mapper } from '../mappings/index.js';
import { demoDepartmentConfig, DEMO_PROCEDURES } from './demo-department.js';

describe('the demo department registration', () => {
  it('routes every sample dossier, and is a valid REST department whose expressions compile', async () => {
    const config = departmentConfigSchema.parse(demoDepartmentConfig('http://127.0.0.1:9101'));
    for (const [name, d] of Object.entries(fixtures())) expect(DEMO_PROCEDURES, name).toContain(d.procedure.code);
    expect(config.procedures).toEqual(DEMO_PROCEDURES);
    expect(mapper.check(config)).toEqual([]);
    expect(adapterFactory('rest')!.configSchema.safeParse(config).success).toBe(true);
  });
});
