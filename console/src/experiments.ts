// "Try a failure": commands to paste in a terminal next to the compose file, and what each
// one should change on this page. The boxes show each service to an admin only, so the
// drills are for the admin's console.

import { h } from './dom';
import { commandLine } from './ui';

interface Experiment {
  title: string;
  steps: { command: string; what: string }[];
  watch: string[];
}

const EXPERIMENTS: readonly Experiment[] = [
  {
    title: 'Stop the products service',
    steps: [
      { command: 'docker compose stop products', what: 'stop command' },
      { command: 'docker compose start products', what: 'start command' },
    ],
    watch: [
      'The products box turns red (down); with auto-refresh on, its breaker opens within a few seconds.',
      'Read a product you read before: X-Cache: stale, with an Age. One never read answers 503 with Retry-After.',
      'Placing an order answers 503 (orders cannot reserve stock); the orders box shows its own breaker to products open, and the next order fails at once.',
      'With Metrics open: products’ row turns down within a scrape or two (5 s each), and the gateway’s 5xx ratio and its breaker to products rise with the failed calls.',
      'After start: breakers half-open, then closed on the next call.',
    ],
  },
  {
    title: 'Stop the users database',
    steps: [
      { command: 'docker compose stop users-db', what: 'stop command' },
      { command: 'docker compose start users-db', what: 'start command' },
    ],
    watch: [
      'users-db goes down and users turns not ready (degraded).',
      'Signing up, logging in and placing an order answer 503; you stay signed in, and products can still be changed: tokens are checked without asking users.',
      'After start, the pool reconnects and users is ready again.',
    ],
  },
  {
    title: 'Stop the users service',
    steps: [
      { command: 'docker compose stop users', what: 'stop command' },
      { command: 'docker compose start users', what: 'start command' },
    ],
    watch: [
      'The users box turns red; nobody can log in or sign up (503), and orders cannot check their customer (503).',
      'You stay signed in: the gateway and the services verify your token with the public keys they already fetched, so reading and changing products still works.',
      'A token renewal due meanwhile fails without signing you out; it is retried every 10 s, and succeeds after start.',
    ],
  },
  {
    title: 'Stop Redis',
    steps: [
      { command: 'docker compose stop redis', what: 'stop command' },
      { command: 'docker compose start redis', what: 'start command' },
    ],
    watch: [
      'The redis box turns red, yet every request still answers.',
      'Product reads always say X-Cache: miss; rate limiting lets traffic through.',
    ],
  },
  {
    title: 'Kill orders mid-order',
    steps: [
      { command: 'docker compose kill orders', what: 'kill command' },
      { command: 'docker compose start orders', what: 'start command' },
    ],
    watch: [
      'SIGKILL, no time to clean up: placing an order answers 502 or 503 while orders is gone.',
      'After start, read the products you were ordering: stock taken by orders that never got stored comes back within about 35 s.',
    ],
  },
  {
    title: 'Run three gateways',
    steps: [
      { command: 'docker compose up -d --scale api-gateway=3', what: 'scale command' },
      { command: 'docker compose up -d --scale api-gateway=1', what: 'scale back command' },
    ],
    watch: [
      'Within a second of the new gateways being up, requests spread over three: the Gateway line of each log entry changes instance.',
      'Scaling back drops no request: nginx looks the name up again every second.',
    ],
  },
  {
    title: 'Follow one request',
    steps: [],
    watch: [
      'Each entry of the request log has its request id and the command docker compose logs | grep <id> with a Copy button.',
      'Run it: nginx, the gateway and each service the request went through log the same id.',
    ],
  },
];

export function experimentsPanel(): HTMLElement {
  return h(
    'section',
    { class: 'panel panel-experiments', id: 'experiments', 'aria-labelledby': 'experiments-title' },
    h('h2', { id: 'experiments-title' }, 'Try a failure'),
    h(
      'p',
      { class: 'intro' },
      'Run these in a terminal in the project folder, then watch the architecture and the request log. Log in as the admin first (',
      h('code', null, 'ADMIN_EMAIL'),
      ', its password shown by ',
      h('code', null, 'docker compose run --rm -T secrets show admin_password'),
      '): only an admin sees each service’s state.',
    ),
    h(
      'ol',
      { class: 'experiments' },
      EXPERIMENTS.map((experiment) =>
        h(
          'li',
          { class: 'experiment' },
          h('h3', null, experiment.title),
          experiment.steps.map((step) => commandLine(step.command, step.what)),
          h('p', { class: 'watch-title' }, 'Watch'),
          h('ul', { class: 'watch' }, experiment.watch.map((line) => h('li', null, line))),
        ),
      ),
    ),
  );
}
