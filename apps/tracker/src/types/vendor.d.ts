// The two packages ship no type declarations; only what Postwire calls is declared.
declare module 'geoip-country' {
  export function lookup(ip: string): { country: string } | null;
}

declare module 'ua-parser-js' {
  interface UAResult {
    browser: { name?: string };
    os: { name?: string };
    device: { type?: string };
  }
  class UAParser {
    constructor(ua?: string);
    getResult(): UAResult;
  }
  export = UAParser;
}
