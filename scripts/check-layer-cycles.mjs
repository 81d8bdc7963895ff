#!/usr/bin/env node
/**
 * Fails when folders import each other in a circle (issue 13 item 5). dependency-cruiser finds and
 * resolves every import (TypeScript paths, `import type` included: a type-only circle is still two
 * layers that each need the other); this file only groups files into layers and looks for strongly
 * connected groups.
 *
 * A layer is a folder under main/core (api/, session/, providers/, ...), each file directly in
 * main/core (app.ts, ports.ts, ...: app.ts builds every layer, ports.ts is under all of them), and
 * main/cli, main/web, main/electron, preload, renderer. File-level circles inside one folder are
 * allowed; the per-folder "may import" rules are ESLint's (eslint.config.js).
 *
 * Usage: node scripts/check-layer-cycles.mjs [--root DIR]   (default: the repository)
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const SCANNED = ['main', 'preload', 'renderer'];
const LAYER = /^(main\/core\/[^/]+|main\/[^/]+|preload|renderer)(\/|$)/;

/** The layer a repository-relative path belongs to; undefined outside the scanned folders. */
export function layerOf(path) {
  return LAYER.exec(path)?.[1];
}

/**
 * Every group of two or more layers that reach each other, each with one file-level import per
 * layer edge inside the group (to say where to cut).
 */
export async function findLayerCycles(root) {
  const tsConfigPath = join(root, 'tsconfig.json');
  const scanned = SCANNED.filter((folder) => existsSync(join(root, folder)));
  const result = await cruise(
    scanned,
    {
      baseDir: root,
      outputType: 'json',
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      exclude: { path: '(^|/)node_modules/' },
      ...(existsSync(tsConfigPath) ? { tsConfig: { fileName: tsConfigPath } } : {}),
    },
    {},
    existsSync(tsConfigPath) ? { tsConfig: extractTSConfig(tsConfigPath) } : {},
  );
  const graph = JSON.parse(result.output);
  /** layer -> layer -> an example "file -> file" import */
  const edges = new Map();
  for (const module of graph.modules) {
    const from = layerOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = layerOf(dependency.resolved);
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, `${module.source} -> ${dependency.resolved}`);
    }
  }
  return stronglyConnected(edges)
    .filter((group) => group.length > 1)
    .map((group) => ({
      layers: group.sort(),
      imports: group.flatMap((from) =>
        [...(edges.get(from) ?? [])].filter(([to]) => group.includes(to)).map(([, example]) => example),
      ),
    }));
}

/** Tarjan's algorithm over the layer graph. */
function stronglyConnected(edges) {
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((targets) => [...targets.keys()])]);
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const visit = (node) => {
    index.set(node, index.size);
    low.set(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      groups.push(group);
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return groups;
}

async function main() {
  const rootArgument = process.argv.indexOf('--root');
  const root = resolve(rootArgument > 0 ? process.argv[rootArgument + 1] : '.');
  const cycles = await findLayerCycles(root);
  if (cycles.length === 0) {
    console.log('No import cycles between folders.');
    return;
  }
  for (const cycle of cycles) {
    console.error(`Import cycle between folders: ${cycle.layers.join(', ')}`);
    for (const example of cycle.imports) console.error(`  ${example}`);
  }
  process.exitCode = 1;
}

// Run as a script (npm run lint); the test imports findLayerCycles instead.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
