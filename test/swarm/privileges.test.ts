import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../bench/compose-project.js';
import { capabilityList, mainProcess, tryWrite } from '../privileges.js';
import { containers, docker, swarm } from './swarm.js';
import { ALL_SERVICES } from './swarm-env.js';

interface StackService {
  cap_add?: string[];
  cap_drop?: string[];
  read_only?: boolean;
  volumes?: Array<string | { type: string; target: string }>;
  deploy?: { resources?: { limits?: { cpus?: string; pids?: number } } };
}
interface StackFile {
  services: Record<string, StackService>;
  networks: Record<string, { driver_opts?: Record<string, string> }>;
}

// The stack file as deployed, against what each task's container really got.
const stack = parse(readFileSync(path.join(repoRoot(), 'deploy/swarm/stack.yml'), 'utf8'), { merge: true }) as StackFile;
const tmpfsPaths = (spec: StackService) =>
  (spec.volumes ?? []).flatMap((volume) => (typeof volume === 'object' && volume.type === 'tmpfs' ? [volume.target] : []));

describe('least privilege in every task', () => {
  it('gives each task only the capabilities its service adds back, a read-only root filesystem and its tmpfs', async () => {
    for (const service of ALL_SERVICES) {
      const spec = stack.services[service]!;
      expect(spec.cap_drop, service).toEqual(['ALL']);
      const [id] = await containers(service);
      const main = await mainProcess(id!);
      expect(main.bounding, service).toEqual(capabilityList(spec.cap_add));
      expect(main.effective.filter((name) => !main.bounding.includes(name)), service).toEqual([]);
      if (main.uid !== '0') expect(main.effective, service).toEqual([]);
      // no-new-privileges is not among them: `docker stack deploy` ignores security_opt
      // (the stack file says so); only the engine's own setting would give it.
      expect(await tryWrite(id!, main.uid, '/taken-over'), service).toMatch(/Read-only file system/);
      for (const target of tmpfsPaths(spec)) expect(await tryWrite(id!, main.uid, `${target}/written`), `${service} ${target}`).toBe('');
    }
  });

  it('caps each task’s processes and CPU', async () => {
    for (const service of ALL_SERVICES) {
      const limits = stack.services[service]!.deploy!.resources!.limits!;
      const [id] = await containers(service);
      const host = JSON.parse(await docker('inspect', '--format', '{{json .HostConfig}}', id!)) as { PidsLimit: number; NanoCpus: number };
      expect({ pids: host.PidsLimit, cpus: host.NanoCpus / 1e9 }, service).toEqual({ pids: limits.pids, cpus: Number(limits.cpus) });
    }
  });

  it('encrypts every overlay network of the stack', async () => {
    for (const name of Object.keys(stack.networks)) {
      const options = JSON.parse(await docker('network', 'inspect', '--format', '{{json .Options}}', `${swarm().stack}_${name}`)) as Record<string, string>;
      expect(options, name).toHaveProperty('encrypted');
    }
  });
});
