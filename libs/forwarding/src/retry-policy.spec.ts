import { nextStep, parseRetryAfter } from './retry-policy';

const schedule = [0, 5000, 300_000];
const noJitter = () => 0.5;

describe('nextStep', () => {
  it.each([200, 201, 204, 299])('treats %i as delivered', (code) => {
    expect(nextStep({ statusCode: code }, 1, schedule, noJitter)).toEqual({ status: 'delivered' });
  });

  it.each([301, 302, 400, 404, 500, 502, null])('retries %p on the schedule', (code) => {
    expect(nextStep({ statusCode: code }, 1, schedule, noJitter)).toEqual({ status: 'pending', delayMs: 5000 });
    expect(nextStep({ statusCode: code }, 2, schedule, noJitter)).toEqual({ status: 'pending', delayMs: 300_000 });
  });

  it('gives up when the schedule is used up', () => {
    expect(nextStep({ statusCode: 500 }, 3, schedule, noJitter).status).toBe('dead');
  });

  it('stops at once on 410 Gone and on permanent failures', () => {
    expect(nextStep({ statusCode: 410 }, 1, schedule).status).toBe('dead');
    expect(nextStep({ statusCode: null, permanent: true }, 1, schedule).status).toBe('dead');
  });

  it('honours Retry-After on 429 and 503 only', () => {
    expect(nextStep({ statusCode: 429, retryAfterMs: 60_000 }, 1, schedule, noJitter)).toEqual({ status: 'pending', delayMs: 60_000 });
    expect(nextStep({ statusCode: 503, retryAfterMs: 1000 }, 1, schedule, noJitter)).toEqual({ status: 'pending', delayMs: 5000 });
    expect(nextStep({ statusCode: 500, retryAfterMs: 60_000 }, 1, schedule, noJitter)).toEqual({ status: 'pending', delayMs: 5000 });
  });

  it('jitters within ±10 %', () => {
    expect(nextStep({ statusCode: 500 }, 1, schedule, () => 0)).toEqual({ status: 'pending', delayMs: 4500 });
    expect(nextStep({ statusCode: 500 }, 1, schedule, () => 0.999999)).toEqual({ status: 'pending', delayMs: 5500 });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
