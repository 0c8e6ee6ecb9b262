import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ComposeModel } from './compose-model.js';
import type { BuildFiles } from './rules.js';

/**
 * Every Dockerfile the compose file builds, and the ignore file Docker applies to it:
 * `<Dockerfile>.dockerignore` beside it if there is one, else the context's .dockerignore.
 */
export function readBuildFiles(model: ComposeModel): BuildFiles {
  const files: BuildFiles = { dockerfiles: {}, dockerignores: {}, packageFolders: [] };
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  for (const service of Object.values(model.services)) {
    if (!service.build) continue;
    const dockerfile = path.resolve(service.build.context, service.build.dockerfile ?? 'Dockerfile');
    files.dockerfiles[shown(dockerfile)] = readFileSync(dockerfile, 'utf8');
    const own = `${dockerfile}.dockerignore`;
    const ignore = existsSync(own) ? own : path.join(service.build.context, '.dockerignore');
    const text = existsSync(ignore) ? readFileSync(ignore, 'utf8') : '';
    files.dockerignores[shown(ignore)] = text;
    for (const [, folder] of text.matchAll(/^!(\S+\/)$/gm)) {
      if (existsSync(path.join(service.build.context, folder!, 'package.json'))) files.packageFolders.push(folder!);
    }
  }
  return files;
}
