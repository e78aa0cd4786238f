/**
 * Baseline for the click path: plain node:http answering the same 302 Postwire answers (a fresh
 * random id in the offer URL, no-store, the click cookie), with no routing framework, no
 * lookup and no storage. It is the ceiling for "answer a redirect" on this machine.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method !== 'GET' || !url.startsWith('/c/')) {
    res.writeHead(404).end();
    return;
  }
  const campaign = url.slice(3, url.indexOf('?') === -1 ? undefined : url.indexOf('?'));
  const id = randomBytes(15).toString('hex');
  res.writeHead(302, {
    location: `https://offer.example/land?cid=${id}&camp=${campaign}&s1=banner-300x250`,
    'cache-control': 'no-store',
    'set-cookie': `pw_click=${id}; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax`,
  });
  res.end();
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
