import { ADAPTER_BODY_LIMIT_CEILING, limitsOf, STRICT_LIMITS } from './adapter-contract';
import { BadParameterError } from './adapter-errors';
import { clickIdParamSetting, readClickIdParam } from './click-id-param';
import { checkConfig } from './config-schema';
import { configSchemaProblems } from './testing/checks';

describe('limitsOf', () => {
  it('gives the strict limits to an adapter that declares none', () => {
    expect(limitsOf({})).toEqual(STRICT_LIMITS);
    expect(STRICT_LIMITS).toEqual({ maxFields: 64, maxValueLength: 2048, maxBodyBytes: 65536, allowLineBreaks: false });
  });

  it('takes the declared limits', () => {
    const declared = { maxFields: 1000, maxValueLength: 16384, maxBodyBytes: 262144, allowLineBreaks: true };
    expect(limitsOf({ limits: declared })).toEqual(declared);
  });

  it('caps the body at the ceiling and falls back to strict figures for nonsense', () => {
    const limits = limitsOf({
      limits: { maxFields: -1, maxValueLength: 1.5, maxBodyBytes: 10 * ADAPTER_BODY_LIMIT_CEILING, allowLineBreaks: 'yes' as unknown as boolean },
    });
    expect(limits).toEqual({ maxFields: 64, maxValueLength: 2048, maxBodyBytes: ADAPTER_BODY_LIMIT_CEILING, allowLineBreaks: false });
  });
});

describe('configurable click-id parameter', () => {
  const keep = ['sub1', 'sub2', 'sub3', 'offer_id'] as const;

  it('is a string setting with a default', () => {
    const schema = { clickIdParam: clickIdParamSetting('the sub ID carrying {click_id}', 'sub1') };
    expect(checkConfig(schema, {})).toEqual({ ok: true, value: { clickIdParam: 'sub1' } });
    expect(checkConfig(schema, { clickIdParam: 'sub2' })).toEqual({ ok: true, value: { clickIdParam: 'sub2' } });
  });

  it('with choices, is an enum the console shows as a select, and refuses any other value', () => {
    const schema = { clickIdParam: clickIdParamSetting('the sub ID carrying {click_id}', 'sub1', { choices: ['sub1', 'sub2'] }) };
    expect(schema.clickIdParam).toMatchObject({ title: 'Click-id parameter', enum: ['sub1', 'sub2'], help: expect.stringContaining('{click_id}') });
    expect(configSchemaProblems(schema)).toEqual([]);
    expect(checkConfig(schema, { clickIdParam: 'sub2' })).toEqual({ ok: true, value: { clickIdParam: 'sub2' } });
    expect(checkConfig(schema, { clickIdParam: 'sub9' })).toEqual({ ok: false, errors: ['adapterConfig.clickIdParam must be one of sub1, sub2'] });
  });

  it('reads the click id from the configured parameter and keeps the others as extras', () => {
    const read = readClickIdParam({ sub1: 'x', sub2: 'CLICK', offer_id: '7', other: 'no' }, 'sub2', { keep, hint: 'set sub2={click_id}' });
    expect(read).toEqual({ clickId: 'CLICK', extras: { sub1: 'x', offer_id: '7' } });
  });

  it('refuses a missing click id naming the configured parameter, with the hint', () => {
    const run = () => readClickIdParam({ sub1: 'x' }, 'sub3', { keep, hint: 'set sub3={click_id} in the link' });
    expect(run).toThrow(BadParameterError);
    expect(run).toThrow('sub3: is required: it carries the Postwire click id (set sub3={click_id} in the link)');
  });

  it('leaves the click id undefined when it is optional', () => {
    expect(readClickIdParam({ sub1: 'x' }, 'sub3', { keep, hint: '', optional: true })).toEqual({ clickId: undefined, extras: { sub1: 'x' } });
  });

  it('does not read inherited properties as parameters', () => {
    expect(() => readClickIdParam({}, 'toString', { keep, hint: '' })).toThrow(BadParameterError);
  });
});

describe('config schema problems', () => {
  it('names each field the console could not render well', () => {
    expect(
      configSchemaProblems({
        a: { type: 'string', description: 'no title' },
        b: { type: 'number', title: 'B', description: 'b', secret: true, enum: ['1'] },
        c: { type: 'string', title: 'C', description: 'c', enum: ['x', 'x'], default: 'y' },
      }),
    ).toEqual([
      'a: has no title (the label of the field in the console)',
      'b: only a string setting can be secret',
      'b: only a string setting can have an enum',
      'c: enum must list distinct values',
      'c: default is not one of its enum values',
    ]);
  });
});
