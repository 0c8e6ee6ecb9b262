import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { underLoad } from './load.js';
import { docker, serviceInspect, serviceName, waitForReplicas, waitUntil } from './swarm.js';

const image = (service: 'users' | 'api-gateway') => serviceInspect(service, '{{.Spec.TaskTemplate.ContainerSpec.Image}}');
const updateState = (service: 'users') => serviceInspect(service, '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}');

/** `docker build` of a Dockerfile given as text, with no context. */
function buildFromStdin(tag: string, dockerfile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const build = spawn('docker', ['build', '--quiet', '--tag', tag, '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    build.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    build.on('error', reject);
    build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker build ${tag} failed: ${errors}`))));
    build.stdin.end(dockerfile);
  });
}

describe('rolling updates under traffic', () => {
  it('rolls a setting out to users and a new image tag to the gateway with no failed request', async () => {
    // A new tag of the same build stands for a new release: the tasks are replaced all the same.
    const current = await image('api-gateway');
    const next = `${current.replace(/:[^:/]+$/, '')}:next`;
    await docker('tag', current, next);
    // Both at once: each service still rolls one task at a time.
    const { report } = await underLoad(() =>
      Promise.all([
        docker('service', 'update', '--detach=false', '--quiet', '--env-add', 'LOG_LEVEL=warn', serviceName('users')),
        docker('service', 'update', '--detach=false', '--quiet', '--image', next, serviceName('api-gateway')),
      ]),
    );
    console.log(`[swarm] requests failed during the rolling updates of users and the gateway: ${report.failed.length}`);
    expect(report.failed).toEqual([]);
    expect(report.exactlyOnce).toBe(true);
    expect(await serviceInspect('users', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')).toContain('LOG_LEVEL=warn');
    expect(await image('api-gateway')).toBe(next);
  });

  it('rolls a broken image back by itself, and no request fails meanwhile', async () => {
    const good = await image('users');
    // The users image with a process that runs but never answers: its health never passes.
    const broken = `${good.replace(/:[^:/]+$/, '')}:broken`;
    await buildFromStdin(broken, `FROM ${good}\nCMD ["node", "-e", "setInterval(() => {}, 1 << 30)"]\n`);
    let rolledBackAfterS = 0;
    const { report } = await underLoad(async () => {
      // A short start period and interval, only so that the test does not wait minutes for
      // the check to give up; the rollback restores the service's own check with its image.
      const started = Date.now();
      await docker('service', 'update', '--detach', '--quiet', '--image', broken,
        '--health-start-period', '5s', '--health-interval', '2s', '--health-retries', '2', serviceName('users'));
      await waitUntil('the update to roll back', async () => (await updateState('users')) === 'rollback_completed', 180_000, 1000);
      rolledBackAfterS = Math.round((Date.now() - started) / 1000);
    });
    console.log(`[swarm] broken image rolled back ${rolledBackAfterS} s after the update began; ${report.failed.length} requests failed meanwhile`);
    expect(report.failed).toEqual([]);
    expect(report.exactlyOnce).toBe(true);
    expect(await image('users')).toBe(good);
    await waitForReplicas('users', 2);
  });
});
