import { docker } from '../bench/compose-project.js';

/** Linux capabilities by bit number (linux/capability.h): what /proc/<pid>/status shows as a mask. */
const CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID',
  'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
];

/** The names in a capability mask ("00000000000000c5"), sorted. */
function capabilityNames(mask: string): string[] {
  const bits = BigInt(`0x${mask}`);
  return CAPABILITIES.filter((_, bit) => (bits >> BigInt(bit)) & 1n).sort();
}

export interface MainProcess {
  /** The user it runs as (numeric), to try writes as it would. */
  uid: string;
  /** What it may use now (CapEff). */
  effective: string[];
  /** What any process of the container could ever hold (CapBnd): what cap_add gave back. */
  bounding: string[];
  /** no-new-privileges: a setuid program cannot raise its rights. */
  noNewPrivileges: boolean;
}

/** The main process (PID 1) of a container, read from /proc/1/status (every image has cat). */
export async function mainProcess(container: string): Promise<MainProcess> {
  const status = await docker('exec', container, 'cat', '/proc/1/status');
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(status)?.[1] ?? '';
  return {
    uid: field('Uid'),
    effective: capabilityNames(field('CapEff')),
    bounding: capabilityNames(field('CapBnd')),
    noNewPrivileges: field('NoNewPrivs') === '1',
  };
}

/** Tries to create a file, as the given user; the error if refused, '' if written (and removed). */
export async function tryWrite(container: string, uid: string, path: string): Promise<string> {
  try {
    await docker('exec', '-u', uid, container, 'sh', '-c', `touch ${path} && rm ${path}`);
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Compose's and a stack file's capability names, as the kernel's ("CAP_CHOWN" or "CHOWN"). */
export const capabilityList = (names: string[] | undefined) => (names ?? []).map((name) => name.replace(/^CAP_/, '')).sort();
