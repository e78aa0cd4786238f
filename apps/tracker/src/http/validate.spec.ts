import { z } from 'zod';
import { ApiError } from './api-error';
import { validate } from './validate';

describe('validate', () => {
  const schema = z.object({ limit: z.coerce.number().int().max(500), nested: z.object({ a: z.string() }).strict().optional() }).strict();
  const refusal = (input: unknown) => {
    try {
      validate(schema, input);
    } catch (e) {
      return e as ApiError;
    }
    throw new Error('accepted');
  };

  it('names the field at fault', () => {
    expect(refusal({ limit: 501 }).getResponse()).toMatchObject({ error: 'bad_parameter', param: 'limit' });
  });

  it('names an unknown field itself, also inside an object', () => {
    expect(refusal({ limit: 1, colour: 'red' }).getResponse()).toMatchObject({ param: 'colour', message: expect.stringContaining('is not a field') });
    expect(refusal({ limit: 1, nested: { a: 'x', b: 1 } }).getResponse()).toMatchObject({ param: 'nested.b' });
  });
});
