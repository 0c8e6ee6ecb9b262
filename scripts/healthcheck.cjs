// The Node images' health check: `node /app/healthcheck.cjs /ready` (or /health).
// `wget --spider` only sets an exit code, so a failing check shows an empty Output in
// `docker inspect`; this prints what the service answered (which check is down) or why
// nothing answered, and Docker keeps that line in the container's health log.
//
// It runs every 10 s in every Node container, so its start-up is what it costs: CommonJS
// and node:http, because Node loads an ES module (.mjs, or anything using fetch) with
// about 90 ms more CPU per run here (the container's cgroup counter over 20 runs: about
// 180 ms against 270 ms, of which `docker exec` itself is 50 to 90 ms).
const { get } = require('node:http');

const path = process.argv[2] ?? '/health';
const url = `http://127.0.0.1:${process.env.PORT ?? 3000}${path}`;
const giveUp = (reason) => {
  console.log(`no answer from ${url}: ${reason}`);
  process.exit(1);
};
// Under the 5 s timeout the checks are given, so the reason is printed before Docker gives up.
const request = get(url, { timeout: 4000 }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => {
    console.log(`${res.statusCode} ${body.slice(0, 500)}`);
    // exit() now rather than when the event loop empties: the answer is all there is to wait for.
    process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 1);
  });
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (error) => giveUp(error.code ?? error.message));
