// The lab's echo service: answers with what it received, so the Nginx chapter's headers
// (Host, X-Real-IP, X-Forwarded-For) and the replica that answered can be seen.
// `?delay=2000` holds the answer for 2 s (at most 10), to see least_conn at work.
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const server = createServer((req, res) => {
  const delay = Math.min(Number(new URL(req.url ?? '/', 'http://echo').searchParams.get('delay')) || 0, 10_000);
  setTimeout(() => {
    res.setHeader('content-type', 'application/json');
    res.end(`${JSON.stringify({ instance: hostname(), method: req.method, url: req.url, headers: req.headers }, null, 2)}\n`);
  }, delay);
});
server.listen(3000, () => console.log(`echo ${hostname()} listening on 3000`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
