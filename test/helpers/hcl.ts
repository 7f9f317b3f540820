// Parse Terraform files into JSON with @cdktf/hcl2json (the Go HCL parser compiled to WASM), so tests can check
// templates structurally where `terraform validate` is impossible (no provider download offline).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

/**
 * hcl2json's shape: labelled blocks nest by label and end in an array of bodies
 * (`resource.<type>.<name>[0]`, `variable.<name>[0]`, `module.<name>[0]`); unlabelled blocks are arrays
 * (`locals[i]`, `terraform[0]`, a nested block such as `lifecycle[0]`); expressions are strings like
 * `"${var.x}"`, literals stay JSON values.
 */
export type HclBody = Record<string, any>;
export type HclDocument = Record<string, any>;

export interface HclDirectory {
  dir: string;
  /** Parsed document per file name (only *.tf). */
  files: Record<string, HclDocument>;
  /** Raw text per file name. */
  raw: Record<string, string>;
  /** All files merged, as Terraform itself sees one module. */
  merged: HclDocument;
}

export async function parseHclFile(file: string): Promise<HclDocument> {
  const text = await readFile(file, 'utf8');
  return parse(path.basename(file), text);
}

/** Loads every *.tf file of one directory (not recursive) and merges them. */
export async function loadHclDirectory(dir: string): Promise<HclDirectory> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.tf')).sort();
  const files: Record<string, HclDocument> = {};
  const raw: Record<string, string> = {};
  let merged: HclDocument = {};
  for (const name of names) {
    const text = await readFile(path.join(dir, name), 'utf8');
    raw[name] = text;
    files[name] = await parse(name, text);
    merged = mergeHcl(merged, files[name]!);
  }
  return { dir, files, raw, merged };
}

/**
 * Objects merge key by key; arrays concatenate. A block declared in two files therefore shows up as an array of two
 * bodies, which `uniqueBody` reports as an error instead of silently keeping one.
 */
export function mergeHcl(a: HclDocument, b: HclDocument): HclDocument {
  const out: HclDocument = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev) && Array.isArray(value)) out[key] = [...prev, ...value];
    else if (isPlainObject(prev) && isPlainObject(value)) out[key] = mergeHcl(prev, value);
    else throw new Error(`cannot merge HCL key ${key}: ${typeof prev} vs ${typeof value}`);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function uniqueBody(bodies: unknown, what: string): HclBody {
  if (!Array.isArray(bodies) || bodies.length === 0) throw new Error(`${what} is not declared`);
  if (bodies.length > 1) throw new Error(`${what} is declared ${bodies.length} times`);
  return bodies[0] as HclBody;
}

export function resource(doc: HclDocument, type: string, name: string): HclBody {
  return uniqueBody(doc.resource?.[type]?.[name], `resource ${type}.${name}`);
}

export function variable(doc: HclDocument, name: string): HclBody {
  return uniqueBody(doc.variable?.[name], `variable ${name}`);
}

export function moduleCall(doc: HclDocument, name: string): HclBody {
  return uniqueBody(doc.module?.[name], `module ${name}`);
}

export function output(doc: HclDocument, name: string): HclBody {
  return uniqueBody(doc.output?.[name], `output ${name}`);
}

/** The single nested block `name` of a body (e.g. `backup`), or an error if absent or repeated. */
export function block(body: HclBody, name: string): HclBody {
  return uniqueBody(body[name], `block ${name}`);
}

/** All nested blocks `name` of a body (e.g. every `access_policy`), possibly none. */
export function blocks(body: HclBody, name: string): HclBody[] {
  const v = body[name];
  return Array.isArray(v) ? (v as HclBody[]) : [];
}

/** The `dynamic "<name>"` block of a body. */
export function dynamicBlock(body: HclBody, name: string): HclBody {
  return uniqueBody(body.dynamic?.[name], `dynamic block ${name}`);
}

/** Every resource as [type, name, body]. */
export function resources(doc: HclDocument): Array<[string, string, HclBody]> {
  const out: Array<[string, string, HclBody]> = [];
  for (const [type, byName] of Object.entries<Record<string, HclBody[]>>(doc.resource ?? {})) {
    for (const [name, bodies] of Object.entries(byName)) {
      out.push([type, name, uniqueBody(bodies, `resource ${type}.${name}`)]);
    }
  }
  return out;
}

/** Every local name declared in any `locals` block. */
export function localNames(doc: HclDocument): string[] {
  return (doc.locals ?? []).flatMap((l: HclBody) => Object.keys(l));
}

/** The expression of local `name`. */
export function local(doc: HclDocument, name: string): unknown {
  const found = (doc.locals ?? []).filter((l: HclBody) => name in l);
  if (found.length !== 1) throw new Error(`local ${name} is declared ${found.length} times`);
  return found[0][name];
}

/** `"${var.x}"` → `var.x`; a literal or template string is returned unchanged. */
export function expr(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  const m = /^\$\{([\s\S]*)\}$/.exec(value);
  return m && !m[1]!.includes('${') ? m[1]!.trim() : value;
}

/** Distinct names matched by `re` (first capture group) across raw texts, with comments stripped. */
export function referencedNames(raw: Record<string, string>, re: RegExp): Set<string> {
  const names = new Set<string>();
  for (const text of Object.values(raw)) {
    const code = stripComments(text);
    for (const m of code.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) {
      names.add(m[1]!);
    }
  }
  return names;
}

/** Removes `#` and `//` line comments and block comments, leaving string contents alone enough for reference scans. */
export function stripComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((line) => line.replace(/(^|\s)(#|\/\/).*$/, '$1'))
    .join('\n');
}
