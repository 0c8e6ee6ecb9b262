import { beforeAll, describe, expect, it } from 'vitest';
import type { ComposeModel, ComposeService } from '../../tools/compose-model.js';
import { capabilityList, mainProcess, tryWrite } from '../privileges.js';
import { compose, docker, exec, waitUntil } from './stack.js';
import { WITHOUT_SHELL, type Service } from './stack-env.js';

// What one container taken over can do: every running container of the project against
// its entry in the compose file, as Compose resolves it (the file says it once, here too).
let model: ComposeModel;
let running: Array<{ service: string; id: string }>;
/** Those with a shell and a `cat` to look inside with (nginx-exporter's image is FROM scratch). */
let withShell: Array<{ service: string; id: string }>;

beforeAll(async () => {
  model = JSON.parse(await compose('config', '--format', 'json')) as ComposeModel;
  const lines = (await compose('ps', '--format', '{{.Service}} {{.ID}}')).trim().split('\n');
  running = lines.map((line) => line.split(' ')).map(([service, id]) => ({ service: service!, id: id! }));
  withShell = running.filter(({ service }) => !WITHOUT_SHELL.has(service as Service));
});

const entry = (service: string): ComposeService => model.services[service]!;
/** A tmpfs entry is a path, maybe followed by mount options ("/tmp:size=64m"). */
const tmpfsPaths = (service: string) => (entry(service).tmpfs ?? []).map((line) => line.split(':')[0]!);

describe('least privilege in every container', () => {
  it('checks every long-running service of the file, monitoring’s included (a one-shot job, run and gone, has no restart policy)', () => {
    const longRunning = Object.entries(model.services).filter(([, service]) => !service.profiles?.length && service.restart);
    expect(longRunning.map(([name]) => name)).toContain('prometheus');
    expect(running.map(({ service }) => service).sort()).toEqual(longRunning.map(([name]) => name).sort());
  });

  it('leaves each main process only the capabilities its compose entry adds back, and no way to gain more', async () => {
    for (const { service, id } of withShell) {
      const added = capabilityList(entry(service).cap_add);
      const main = await mainProcess(id);
      // The bounding set is all any process there could ever hold, root or not.
      expect(main.bounding, service).toEqual(added);
      // What it holds now: the same for a root process, none once it has become a user.
      expect(main.effective.filter((name) => !added.includes(name)), service).toEqual([]);
      if (main.uid !== '0') expect(main.effective, service).toEqual([]);
      expect(main.noNewPrivileges, service).toBe(true);
    }
  });

  it('refuses a write to the root filesystem, and lets each container write where its tmpfs are', async () => {
    for (const { service, id } of withShell) {
      const { uid } = await mainProcess(id);
      expect(await tryWrite(id, uid, '/taken-over'), service).toMatch(/Read-only file system/);
      expect(await tryWrite(id, uid, '/usr/local/bin/taken-over'), service).toMatch(/Read-only file system|Permission denied/);
      for (const path of tmpfsPaths(service)) expect(await tryWrite(id, uid, `${path}/written`), `${service} ${path}`).toBe('');
    }
  });

  it('runs a container with nothing inside to look with as its entry says: no capability, a read-only root', async () => {
    for (const { service, id } of running.filter((container) => !withShell.includes(container))) {
      const host = JSON.parse(await docker('inspect', '--format', '{{json .HostConfig}}', id)) as { CapDrop: string[] | null; CapAdd: string[] | null; ReadonlyRootfs: boolean; SecurityOpt: string[] | null };
      expect({ drop: host.CapDrop, add: host.CapAdd ?? [], readOnly: host.ReadonlyRootfs, options: host.SecurityOpt }, service).toEqual({
        drop: ['ALL'],
        add: [],
        readOnly: true,
        options: ['no-new-privileges:true'],
      });
    }
  });

  it('caps each container’s processes and CPU, beside its memory', async () => {
    for (const { service, id } of running) {
      const { pids_limit: pids, cpus } = entry(service);
      expect(pids, `${service} has a pids_limit`).toBeGreaterThan(0);
      expect(cpus, `${service} has cpus`).toBeGreaterThan(0);
      const limits = JSON.parse(await docker('inspect', '--format', '{{json .HostConfig}}', id)) as { PidsLimit: number; NanoCpus: number; Memory: number };
      expect({ pids: limits.PidsLimit, cpus: limits.NanoCpus / 1e9 }, service).toEqual({ pids, cpus });
      expect(limits.Memory, service).toBeGreaterThan(0);
    }
  });

  it('stops a fork bomb at the pids limit, and the container serves again once it is over', async () => {
    const id = running.find(({ service }) => service === 'products')!.id;
    const limit = entry('products').pids_limit!;
    // More sleeping processes than the limit allows: the kernel refuses the rest.
    const bomb = await docker('exec', id, 'sh', '-c', `i=0; while [ $i -lt ${limit + 20} ]; do sleep 3 & i=$((i+1)); done 2>&1 | tail -1`).catch(
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(bomb).toMatch(/can't fork|Cannot fork|Resource temporarily unavailable/i);
    await waitUntil('products to answer again', async () => (await exec('products', ['node', '/app/healthcheck.cjs', '/ready'])).code === 0, 30_000);
  });
});
