import { z } from 'zod';
import { decimal, view } from '../schemas/views';

export const currencyRatesView = view({
  reportCurrency: z.string(),
  rates: z.array(view({ currency: z.string(), day: z.string(), rate: decimal })),
});
