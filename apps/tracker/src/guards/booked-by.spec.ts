import { bookedBy } from './postback-guards';

describe('bookedBy: which answers make a signed request’s copy a replay', () => {
  it.each([
    ['GET', 200, true],
    ['POST', 202, true],
    ['GET', 405, false],
    ['GET', 429, false],
    ['POST', 400, false],
    ['GET', 503, false],
    ['GET', 302, false],
    ['HEAD', 200, false],
    ['HEAD', 405, false],
  ])('%s answered %i → %p', (method, status, booked) => {
    expect(bookedBy(method, status)).toBe(booked);
  });
});
