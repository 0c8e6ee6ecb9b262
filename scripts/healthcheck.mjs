// The Node images' health check: `node /app/healthcheck.mjs /ready` (or /health).
// `wget --spider` only sets an exit code, so a failing check shows an empty Output in
// `docker inspect`; this prints what the service answered (which check is down) or why
// nothing answered, and Docker keeps that line in the container's health log.
const path = process.argv[2] ?? '/health';
const url = `http://127.0.0.1:${process.env.PORT ?? 3000}${path}`;
try {
  // Under the 5 s timeout the checks are given, so the reason is printed before Docker gives up.
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  console.log(`${res.status} ${(await res.text()).slice(0, 500)}`);
  // exit() now: fetch keeps its connection open for reuse, which would keep Node running.
  process.exit(res.ok ? 0 : 1);
} catch (error) {
  console.log(`no answer from ${url}: ${error.cause?.code ?? error.message}`);
  process.exit(1);
}
