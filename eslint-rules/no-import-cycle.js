// Lint rule: an import that closes a circle of relative imports is an error. Type-only imports
// count too: a type circle still ties the layers together (docs/ARCHITECTURE.md, "Layers").
// Written here instead of eslint-plugin-import-x's no-cycle because that resolves every
// package import and parses each file again; this reads each file once per lint run (regex over
// the source text, cached), follows relative specifiers only, and so costs well under a second.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.tsx'];

/** file path → resolved relative imports; one lint run reads each file once. */
const importsOf = new Map();

const isFile = (p) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The file a relative specifier names, or null (packages and missing files are not followed). */
export function resolveSpecifier(fromFile, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), specifier);
  const stem = base.replace(/\.(js|mjs)$/, '');
  for (const candidate of [base, ...EXTENSIONS.map((ext) => stem + ext)]) {
    if (candidate === base && !/\.(tsx?|mts)$/.test(base)) continue;
    if (isFile(candidate)) return candidate;
  }
  return null;
}

function readImports(file) {
  let found = importsOf.get(file);
  if (found) return found;
  found = [];
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // unreadable: no edges
  }
  // Comments may quote import lines; drop them before matching.
  text = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const m of text.matchAll(SPECIFIER)) {
    const target = resolveSpecifier(file, m[1] ?? m[2] ?? m[3]);
    if (target) found.push(target);
  }
  importsOf.set(file, found);
  return found;
}

/** A path of files from `start` back to `goal`, or null. */
function pathBack(start, goal) {
  const seen = new Set([start]);
  const stack = [[start, [start]]];
  while (stack.length > 0) {
    const [file, path] = stack.pop();
    if (file === goal) return path;
    for (const next of readImports(file)) {
      if (next === goal) return [...path, next];
      if (!seen.has(next)) {
        seen.add(next);
        stack.push([next, [...path, next]]);
      }
    }
  }
  return null;
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow an import that closes a circle of relative imports.' },
    schema: [],
    messages: {
      cycle:
        'Import circle: {{circle}}. Move the shared type or function down a layer (platform/, a domain) instead.',
    },
  },
  create(context) {
    const file = context.filename;
    const cwd = context.cwd;
    const rel = (p) => (p.startsWith(cwd) ? p.slice(cwd.length + 1) : p);
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const target = resolveSpecifier(file, source.value);
      if (!target || target === file) return;
      const back = pathBack(target, file);
      if (back) {
        const circle = [file, ...back].map(rel).join(' → ');
        context.report({ node, messageId: 'cycle', data: { circle } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { 'no-import-cycle': noImportCycle } };
