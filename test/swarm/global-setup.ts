import type { TestProject } from 'vitest/node';
import { cleanUp, freePort } from '@shopstack/testing';
import { docker } from '../../bench/compose-project.js';
import { script } from './scripts.js';
import { swarmEnv } from './swarm-env.js';

const swarmState = async () => (await docker('info', '--format', '{{.Swarm.LocalNodeState}}')).trim();

/**
 * Deploys deploy/swarm/stack.yml once for all swarm tests with deploy/swarm/deploy.sh,
 * under a stack name of its own (its images, secrets and volumes carry it too), on a
 * single-node swarm it creates if the engine is in none. At the end it removes what it
 * made, and leaves the swarm only if it created it.
 */
export default async function setup(project: TestProject) {
  // While writing tests: SWARM_TEST_STACK=<name> SWARM_TEST_PORT=<port> runs them against a
  // stack deployed beforehand with the same names (see swarm-env.ts), and leaves it there.
  const reused = process.env['SWARM_TEST_STACK'];
  if (reused) {
    const port = Number(process.env['SWARM_TEST_PORT']);
    project.provide('swarm', { stack: reused, port, env: swarmEnv(reused, port), convergedInSeconds: Number.NaN });
    return;
  }
  const stack = `shopstack-swarm-test-${Date.now().toString(36)}`;
  const env = swarmEnv(stack, await freePort());
  const createdSwarm = (await swarmState()) !== 'active';

  const output = await script('deploy.sh', env);
  const converged = /converged in (\d+)s/.exec(output);
  console.log(`[swarm] ${stack}: ${converged?.[0] ?? 'converged'} after docker stack deploy (images built first)`);
  project.provide('swarm', { stack, port: Number(env['HTTP_PORT']), env, convergedInSeconds: Number(converged?.[1]) });

  return async () => {
    const images = (await docker('images', '--format', '{{.Repository}}:{{.Tag}}'))
      .split('\n')
      .filter((image) => image.startsWith(`${stack}/`) || image.startsWith(`${stack}-`));
    await cleanUp(
      {
        stack: () => script('remove.sh', env),
        volumes: async () => {
          const volumes = (await docker('volume', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`)).split('\n').filter(Boolean);
          if (volumes.length > 0) await docker('volume', 'rm', ...volumes);
        },
        secrets: async () => {
          const secrets = (await docker('secret', 'ls', '-q', '--filter', `name=${stack}_`)).split('\n').filter(Boolean);
          if (secrets.length > 0) await docker('secret', 'rm', ...secrets);
        },
        images: async () => {
          if (images.length > 0) await docker('rmi', ...images);
        },
        swarm: async () => {
          // Only a swarm this run made, and only if nothing else was deployed on it since.
          if (createdSwarm && (await docker('stack', 'ls', '--format', '{{.Name}}')).trim() === '') {
            await docker('swarm', 'leave', '--force');
          }
        },
      },
      180_000,
    );
  };
}
