import type { LookupAddress } from 'node:dns';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Agent, fetch, request } from 'undici';
import { IpAllowlist } from './ip-allowlist';
import {
  AddressNotAllowedError,
  assertUrlAllowed,
  createGuardedConnector,
  createGuardedLookup,
  isOutboundAddressAllowed,
  isPublicAddress,
  LookupCallback,
  ResolveAll,
} from './outbound-address';

const loopback = new IpAllowlist(['127.0.0.1/32']);

describe('isPublicAddress', () => {
  it('accepts public unicast addresses', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, true]);
    }
  });

  it('refuses everything internal, special or malformed', () => {
    const refused = [
      '127.0.0.1',
      '127.255.255.254',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '169.254.0.1',
      '100.64.0.1',
      '100.127.255.255',
      '0.0.0.0',
      '0.1.2.3',
      '255.255.255.255',
      '224.0.0.1',
      '239.255.255.250',
      '192.0.0.1',
      '192.0.2.1',
      '198.18.0.1',
      '198.51.100.1',
      '203.0.113.1',
      '240.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      'fec0::1',
      '100::1',
      '2001:db8::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::ffff:10.0.0.1',
      '::127.0.0.1',
      '64:ff9b::7f00:1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::1',
      '2001::1',
      '::ffff:0:127.0.0.1',
      // Outside 2000::/3 (unassigned), though ipaddr.js calls them 'unicast'.
      '4000::1',
      'e000::1',
      '::2',
      '::8.8.8.8',
      'localhost',
      '127.1',
      '2130706433',
      '0x7f.0.0.1',
      '',
      'fe80::1%eth0',
      ' 8.8.8.8',
    ];
    for (const ip of refused) expect([ip, isPublicAddress(ip)]).toEqual([ip, false]);
  });

  it('judges IPv4-mapped addresses like the IPv4 address they carry (property)', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => isPublicAddress(`::ffff:${ip}`) === isPublicAddress(ip)));
  });

  it('never calls a private-range address public (property)', () => {
    const inRange = (a: number, b: number) => fc.tuple(fc.integer({ min: a, max: b }), fc.nat(255), fc.nat(255), fc.nat(255));
    const privateV4 = fc.oneof(inRange(10, 10), inRange(127, 127), inRange(0, 0), inRange(224, 255));
    fc.assert(fc.property(privateV4, (octets) => !isPublicAddress(octets.join('.'))));
  });
});

describe('isOutboundAddressAllowed', () => {
  it('allows public addresses and allowlisted internal ones', () => {
    expect(isOutboundAddressAllowed('8.8.8.8', undefined)).toBe(true);
    expect(isOutboundAddressAllowed('127.0.0.1', undefined)).toBe(false);
    expect(isOutboundAddressAllowed('127.0.0.1', loopback)).toBe(true);
    expect(isOutboundAddressAllowed('::ffff:127.0.0.1', loopback)).toBe(true);
    expect(isOutboundAddressAllowed('127.0.0.2', loopback)).toBe(false);
  });
});

function lookupOnce(lookup: ReturnType<typeof createGuardedLookup>, hostname: string, options: { all?: boolean; family?: number } = {}) {
  return new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
    lookup(hostname, options, (err, address, family) => resolve({ err, address, family })),
  );
}

describe('createGuardedLookup', () => {
  it('refuses a name that resolves to loopback, naming name and address', async () => {
    const { err } = await lookupOnce(createGuardedLookup(undefined), 'localhost');
    expect(err).toBeInstanceOf(AddressNotAllowedError);
    expect(err?.code).toBe('EADDRNOTALLOWED');
    expect(err?.message).toBe('Refusing to connect to localhost (127.0.0.1): not a public address and not on the outbound allowlist');
  });

  it('lets allowlisted addresses through, in both callback shapes', async () => {
    expect(await lookupOnce(createGuardedLookup(loopback), 'localhost', { family: 4 })).toEqual({ err: null, address: '127.0.0.1', family: 4 });
    expect(await lookupOnce(createGuardedLookup(loopback), 'localhost', { all: true })).toEqual({
      err: null,
      address: [{ address: '127.0.0.1', family: 4 }],
      family: undefined,
    });
  });

  it('keeps only the allowed addresses of a mixed answer (DNS rebinding)', async () => {
    const answers: LookupAddress[] = [
      { address: '127.0.0.1', family: 4 },
      { address: '93.184.215.14', family: 4 },
      { address: '::1', family: 6 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ];
    const resolve: ResolveAll = (_host, options, cb) => {
      expect(options.all).toBe(true);
      cb(null, answers);
    };
    const { address } = await lookupOnce(createGuardedLookup(undefined, resolve), 'rebind.test', { all: true });
    expect(address).toEqual([answers[1], answers[3]]);
    expect(await lookupOnce(createGuardedLookup(undefined, resolve), 'rebind.test')).toEqual({ err: null, address: '93.184.215.14', family: 4 });
  });

  it('names every refused address when none is allowed', async () => {
    const resolve: ResolveAll = (_host, _options, cb) =>
      cb(null, [
        { address: '10.0.0.1', family: 4 },
        { address: 'fd00::1', family: 6 },
      ]);
    const { err } = await lookupOnce(createGuardedLookup(undefined, resolve), 'internal.test');
    expect(err?.message).toContain('internal.test (10.0.0.1, fd00::1)');
  });

  it('passes resolver errors through', async () => {
    const { err } = await lookupOnce(createGuardedLookup(undefined), 'no-such-host.invalid');
    expect(err?.code).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it('accepts the short dns.lookup call forms', async () => {
    const lookup = createGuardedLookup(loopback) as unknown as (host: string, ...rest: unknown[]) => void;
    const viaCallback = await new Promise((resolve) => lookup('localhost', (...args: unknown[]) => resolve(args)));
    expect(viaCallback).toEqual([null, '127.0.0.1', 4]);
    const viaFamily = await new Promise((resolve) => lookup('localhost', 4, ((...args: unknown[]) => resolve(args)) as LookupCallback));
    expect(viaFamily).toEqual([null, '127.0.0.1', 4]);
  });
});

describe('assertUrlAllowed', () => {
  it('refuses literal internal addresses, however they are written', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://127.0.0.1:8080/x',
      'https://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[fd00::1]/',
    ]) {
      expect(() => assertUrlAllowed(url, undefined)).toThrow(AddressNotAllowedError);
    }
  });

  it('leaves host names to the guarded lookup and allows public or allowlisted literals', () => {
    expect(assertUrlAllowed('https://partner.example/postback?x=1', undefined).hostname).toBe('partner.example');
    expect(assertUrlAllowed('http://localhost/', undefined).hostname).toBe('localhost');
    expect(assertUrlAllowed('http://8.8.8.8/', undefined).hostname).toBe('8.8.8.8');
    expect(assertUrlAllowed(new URL('http://127.0.0.1:9/'), loopback).port).toBe('9');
  });

  it('refuses other schemes and invalid URLs', () => {
    expect(() => assertUrlAllowed('file:///etc/passwd', undefined)).toThrow(/http or https/);
    expect(() => assertUrlAllowed('gopher://8.8.8.8/', undefined)).toThrow(/http or https/);
    expect(() => assertUrlAllowed('/relative', undefined)).toThrow(/valid absolute URL/);
  });
});

function errorCode(error: unknown): string | undefined {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'EADDRNOTALLOWED') return e.code;
  }
  return (error as { code?: string } | undefined)?.code;
}

async function startServer(host: string, handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number; hits: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    handler!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, hits: () => count };
}

describe('guards with real undici against a local server', () => {
  let target: Awaited<ReturnType<typeof startServer>>;
  let redirector: Awaited<ReturnType<typeof startServer>>;
  const agents: Agent[] = [];
  const agent = (options: ConstructorParameters<typeof Agent>[0]) => {
    const a = new Agent(options);
    agents.push(a);
    return a;
  };

  beforeAll(async () => {
    target = await startServer('127.0.0.2', (_req, res) => res.end('internal data'));
    redirector = await startServer('127.0.0.1', (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.2:${target.port}/` }).end();
    });
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await new Promise((r) => target.server.close(r));
    await new Promise((r) => redirector.server.close(r));
  });

  it('guarded lookup: blocks a host name resolving to loopback by default', async () => {
    const dispatcher = agent({ connect: { lookup: createGuardedLookup(undefined) } });
    const error = await request(`http://localhost:${redirector.port}/`, { dispatcher }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('EADDRNOTALLOWED');
  });

  it('guarded lookup: allows it with the allowlist 127.0.0.1/32', async () => {
    const dispatcher = agent({ connect: { lookup: createGuardedLookup(loopback) } });
    const response = await request(`http://localhost:${redirector.port}/`, { dispatcher });
    expect(response.statusCode).toBe(302);
    await response.body.dump();
  });

  it('guarded lookup alone: undici never calls it for an IP literal (why assertUrlAllowed exists)', async () => {
    const dispatcher = agent({ connect: { lookup: createGuardedLookup(undefined) } });
    const response = await request(`http://127.0.0.2:${target.port}/`, { dispatcher });
    expect(await response.body.text()).toBe('internal data');
  });

  it('guarded connector: blocks IP literals and host names by default', async () => {
    const before = target.hits();
    const dispatcher = agent({ connect: createGuardedConnector(undefined) });
    const literal = await request(`http://127.0.0.2:${target.port}/`, { dispatcher }).catch((e: unknown) => e);
    expect(errorCode(literal)).toBe('EADDRNOTALLOWED');
    expect((literal as Error).message).toContain('127.0.0.2');
    const named = await request(`http://localhost:${redirector.port}/`, { dispatcher }).catch((e: unknown) => e);
    expect(errorCode(named)).toBe('EADDRNOTALLOWED');
    expect(target.hits()).toBe(before);
  });

  it('guarded connector: checks every redirect hop', async () => {
    const before = target.hits();
    const strict = agent({ connect: createGuardedConnector(loopback) });
    const blocked = await fetch(`http://127.0.0.1:${redirector.port}/`, { dispatcher: strict }).catch((e: unknown) => e);
    expect(errorCode(blocked)).toBe('EADDRNOTALLOWED');
    expect(target.hits()).toBe(before);

    const wide = agent({ connect: createGuardedConnector(new IpAllowlist(['127.0.0.0/8'])) });
    const followed = await fetch(`http://127.0.0.1:${redirector.port}/`, { dispatcher: wide });
    expect(await followed.text()).toBe('internal data');
  });
});
