import { afterAll } from 'vitest';
import { api, asAdmin, replicas, waitUntil } from './swarm.js';

/**
 * Run after every swarm test file, as its stack tests do after theirs: the files share one
 * deployed stack, so each leaves it as the next expects it, in any order. Every service at
 * its full count of running tasks (a file may have killed or scaled some), and the gateway
 * answering through nginx with every circuit closed.
 */
afterAll(async () => {
  await waitUntil(
    'every service to run all its tasks',
    async () => Object.values(await replicas()).every((count) => {
      const [running, wanted] = count.split('/');
      return running === wanted;
    }),
    180_000,
    1000,
  );
  await waitUntil(
    'the gateway to answer, every circuit closed',
    async () => {
      if ((await asAdmin('/api/status')).body.status === 'ok') return true;
      // A half-open circuit closes on its next good call: one to each service.
      await Promise.allSettled([api('/api/products?limit=1'), asAdmin('/api/users/me'), asAdmin('/api/orders')]);
      return false;
    },
    60_000,
    1000,
  );
}, 300_000);
