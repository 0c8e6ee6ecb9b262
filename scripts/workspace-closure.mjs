#!/usr/bin/env node
// Prints a workspace and every workspace package it depends on in production, one per
// line: their folders, or with --names their package names. The Dockerfile uses it to
// ship exactly these and nothing else.
//
//   node scripts/workspace-closure.mjs services/users          -> services/users, packages/config, …
//   node scripts/workspace-closure.mjs --names services/users  -> @shopstack/users, @shopstack/config, …
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const names = args.includes('--names');
const start = args.find((arg) => !arg.startsWith('--'));
if (!start) {
  console.error('usage: workspace-closure.mjs [--names] <workspace folder>');
  process.exit(2);
}

const readManifest = (dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));

// Workspace folders from the root manifest: "dir" or "dir/*".
const folders = readManifest('.').workspaces.flatMap((pattern) =>
  pattern.endsWith('/*')
    ? readdirSync(pattern.slice(0, -2), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.posix.join(pattern.slice(0, -2), entry.name))
    : [pattern],
);
const folderByName = new Map(
  folders.filter((dir) => existsSync(path.join(dir, 'package.json'))).map((dir) => [readManifest(dir).name, dir]),
);

const seen = new Map();
const visit = (dir) => {
  const manifest = readManifest(dir);
  if (seen.has(dir)) return;
  seen.set(dir, manifest.name);
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    if (folderByName.has(dependency)) visit(folderByName.get(dependency));
  }
};
visit(start.replace(/\/$/, ''));
console.log([...(names ? seen.values() : seen.keys())].join('\n'));
