// Cheap necessary conditions for regexes: the literal strings that every match of a regex must contain (one of
// them), read off the regex's own syntax tree (@eslint-community/regexpp), and one pass over a text that tells which
// of many regexes could match at all. A regex whose literals are absent from the text cannot match it, so it need
// not run; a regex that may match runs as before, so results never change. When the tree holds no usable literal
// (or a construct not read here), the regex is simply always run.
import { parseRegExpLiteral, type AST } from '@eslint-community/regexpp';

/** What is known about a piece of a regex. `exact`: every string it can match (finite and small), or undefined.
 *  `req`: strings one of which every match contains, or undefined (no information). */
interface Info {
  exact?: Set<string>;
  req?: Set<string>;
}

const MAX_EXACT = 16;
const MAX_LITERAL = 12;
const MAX_CLASS = 8;
const NONE: Info = {};
const EMPTY: Info = { exact: new Set(['']) };

/** The literals one of which every match of `re` contains, or undefined when nothing useful is known (then the
 *  regex must always run). Case-insensitive regexes are not read (case folding would have to be mirrored). */
export function requiredLiterals(re: RegExp): string[] | undefined {
  if (re.flags.includes('i') || re.flags.includes('v')) return undefined;
  const req = reqOf(infoOf(parseRegExpLiteral(re).pattern));
  if (!req) return undefined;
  // Any part of a required literal is required too: long ones are cut (a smaller automaton, as selective). A
  // literal that contains another one adds nothing: a text holding it holds the shorter one too.
  const all = [...new Set([...req].map((l) => (l.length > MAX_LITERAL ? l.slice(0, MAX_LITERAL) : l)))].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const l of all) if (!kept.some((k) => l.includes(k))) kept.push(l);
  return kept;
}

function infoOf(node: AST.Node): Info {
  switch (node.type) {
    case 'Pattern':
    case 'CapturingGroup':
      return alternation(node.alternatives.map(infoOf));
    case 'Group':
      // (?i:…) and other modifiers would change what matches: not read.
      return node.modifiers ? NONE : alternation(node.alternatives.map(infoOf));
    case 'Alternative': {
      // Plain characters in a row make one literal.
      const parts: Info[] = [];
      let text = '';
      for (const e of node.elements) {
        if (e.type === 'Character') {
          text += String.fromCodePoint(e.value);
          continue;
        }
        if (text) parts.push({ exact: new Set([text]) });
        text = '';
        parts.push(infoOf(e));
      }
      if (text) parts.push({ exact: new Set([text]) });
      return parts.length === 1 ? parts[0]! : concat(parts);
    }
    case 'Character':
      return { exact: new Set([String.fromCodePoint(node.value)]) };
    case 'Assertion':
      // ^ $ \b and look-arounds consume nothing; a look-around's content is not part of the match.
      return EMPTY;
    case 'Quantifier':
      return repeat(infoOf(node.element), node.min, node.max);
    case 'CharacterClass':
      return classInfo(node);
    default:
      // ., \d \s \w \p{…}, back-references, v-mode expressions: unknown text.
      return NONE;
  }
}

function classInfo(node: AST.CharacterClass): Info {
  if (node.negate || node.unicodeSets) return NONE;
  const chars = new Set<string>();
  for (const e of node.elements) {
    if (e.type === 'Character') chars.add(String.fromCodePoint(e.value));
    else if (e.type === 'CharacterClassRange' && e.max.value - e.min.value < MAX_CLASS) {
      for (let c = e.min.value; c <= e.max.value; c++) chars.add(String.fromCodePoint(c));
    } else return NONE;
    if (chars.size > MAX_CLASS) return NONE;
  }
  return chars.size > 0 ? { exact: chars } : NONE;
}

function reqOf(info: Info): Set<string> | undefined {
  if (info.exact) return info.exact.has('') ? undefined : info.exact;
  return info.req;
}

const minLengths = new WeakMap<Set<string>, number>();

function minLength(set: Set<string>): number {
  let min = minLengths.get(set);
  if (min === undefined) {
    min = Infinity;
    for (const s of set) if (s.length < min) min = s.length;
    minLengths.set(set, min);
  }
  return min;
}

/** The better of two necessary sets: longer shortest literal (rarer), then fewer literals. */
function better(a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const ma = minLength(a);
  const mb = minLength(b);
  if (ma !== mb) return ma > mb ? a : b;
  return a.size <= b.size ? a : b;
}

function product(a: Set<string>, b: Set<string>): Set<string> | undefined {
  if (a.size * b.size > MAX_EXACT) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

/** A sequence: the strings of runs of exactly known pieces, or the best required set of any piece. */
function concat(parts: Info[]): Info {
  let run = new Set(['']);
  let best: Set<string> | undefined;
  let allExact = true;
  const close = () => {
    if (!run.has('')) best = better(best, run);
  };
  for (const p of parts) {
    if (p.exact) {
      const next = product(run, p.exact);
      if (next) run = next;
      else {
        allExact = false;
        close();
        run = p.exact;
      }
    } else {
      allExact = false;
      close();
      run = new Set(['']);
      best = better(best, p.req);
    }
  }
  if (allExact) return { exact: run };
  close();
  return best ? { req: best } : NONE;
}

/** Alternatives: every string of each (when few), else every required set together (one per alternative). */
function alternation(alts: Info[]): Info {
  if (alts.length === 1) return alts[0]!;
  if (alts.every((a) => a.exact)) {
    const all = new Set<string>();
    for (const a of alts) for (const s of a.exact!) all.add(s);
    if (all.size <= MAX_EXACT) return { exact: all };
  }
  const req = new Set<string>();
  for (const a of alts) {
    const r = reqOf(a);
    if (!r) return NONE;
    for (const s of r) req.add(s);
  }
  return { req };
}

function repeat(child: Info, min: number, max: number): Info {
  if (min === 0) {
    if (max === 1 && child.exact) {
      const exact = new Set(child.exact);
      exact.add('');
      return { exact };
    }
    return max === 0 ? EMPTY : NONE;
  }
  if (min === max && child.exact) {
    let exact: Set<string> | undefined = new Set(['']);
    for (let i = 0; i < min && exact; i++) exact = product(exact, child.exact);
    if (exact) return { exact };
  }
  const req = reqOf(child);
  return req ? { req } : NONE;
}

// ---- many literals, one pass ------------------------------------------------------------------------------

/** Which regexes of a gate may match a text: a bit set (regex i is bit i % 32 of word i / 32). */
export type Possible = Int32Array;

/** Whether regex `i` of the gate may match (see LiteralGate.possible). */
export function mayMatch(possible: Possible, i: number): boolean {
  return ((possible[i >> 5]! >>> (i & 31)) & 1) === 1;
}

/** For a list of regexes, one scan of a text that says which of them could match it: regex i is ruled out only
 *  when the text holds none of its required literals (so it cannot match the text, nor any part of it). The
 *  automaton is built on first use: reading the regexes costs up to some 100 ms in a cold process, which module
 *  loading (and commands that never check a message) should not pay. One RegExp of all the escaped literals,
 *  tried at every position where one occurs, gives the same answers but made checkInput some 20 % slower here
 *  (865 literals for the input rules), hence the automaton. */
export class LiteralGate {
  private automaton: Automaton | undefined;

  constructor(private readonly regexes: readonly RegExp[]) {}

  /** The regexes that may match `text` (or any part of it): test with mayMatch. */
  possible(text: string): Possible {
    this.automaton ??= new Automaton(this.regexes);
    return this.automaton.possible(text);
  }
}

/** Aho–Corasick over the required literals of a list of regexes, as a full DFA. What a state has seen is a bit
 *  set over the regexes (32 per word). */
class Automaton {
  private readonly words: number;
  /** The bits of the regexes that are always possible (no literals known). */
  private readonly always: Int32Array;
  /** delta[state * width + column]; states numbered breadth first, so that the shallow ones, where a scan spends
   *  its time, lie side by side (a scan touches few cache lines). */
  private readonly delta: Uint16Array | Int32Array;
  private readonly width: number;
  /** UTF-16 code unit → column (0: a unit no literal contains). */
  private readonly column: Uint16Array;
  /** masks[state * words + w]: the regexes one of whose literals ends at this state (failure links included). */
  private readonly masks: Int32Array;

  constructor(regexes: readonly RegExp[]) {
    this.words = Math.max(1, Math.ceil(regexes.length / 32));
    const words = this.words;
    this.always = new Int32Array(words);
    const literals: [string, number][] = [];
    regexes.forEach((re, i) => {
      const lits = requiredLiterals(re);
      if (!lits || lits.includes('')) this.always[i >> 5]! |= 1 << (i & 31);
      else for (const l of lits) literals.push([l, i]);
    });
    // Columns: one per distinct code unit used by a literal, 0 for all others.
    this.column = new Uint16Array(0x10000);
    let width = 1;
    let chars = 0;
    for (const [l] of literals) {
      chars += l.length;
      for (let k = 0; k < l.length; k++) if (this.column[l.charCodeAt(k)] === 0) this.column[l.charCodeAt(k)] = width++;
    }
    this.width = width;
    // Trie: edges in the transition table (-1: none yet).
    let delta = new Int32Array((chars + 1) * width).fill(-1);
    let masks = new Int32Array((chars + 1) * words);
    let states = 1;
    for (const [l, id] of literals) {
      let s = 0;
      for (let k = 0; k < l.length; k++) {
        const at = s * width + this.column[l.charCodeAt(k)]!;
        if (delta[at]! < 0) delta[at] = states++;
        s = delta[at]!;
      }
      masks[s * words + (id >> 5)]! |= 1 << (id & 31);
    }
    delta = delta.slice(0, states * width);
    masks = masks.slice(0, states * words);
    // Breadth first: a missing edge is the failure state's edge (shallower, so its row is complete), and a state
    // inherits its failure state's mask.
    const fail = new Int32Array(states);
    const queue = new Int32Array(states);
    let tail = 0;
    for (let col = 0; col < width; col++) {
      if (delta[col]! < 0) delta[col] = 0;
      else queue[tail++] = delta[col]!;
    }
    for (let head = 0; head < tail; head++) {
      const s = queue[head]!;
      const f = fail[s]!;
      for (let w = 0; w < words; w++) masks[s * words + w]! |= masks[f * words + w]!;
      for (let col = 0; col < width; col++) {
        const t = delta[s * width + col]!;
        if (t < 0) delta[s * width + col] = delta[f * width + col]!;
        else {
          fail[t] = delta[f * width + col]!;
          queue[tail++] = t;
        }
      }
    }
    // Renumbered in the order of the breadth-first walk (the root, then queue), in 16 bits when that fits.
    const renumbered = new Int32Array(states);
    for (let k = 0; k < tail; k++) renumbered[queue[k]!] = k + 1;
    this.delta = states <= 0x10000 ? new Uint16Array(states * width) : new Int32Array(states * width);
    this.masks = new Int32Array(states * words);
    for (let k = 0; k <= tail; k++) {
      const s = k === 0 ? 0 : queue[k - 1]!;
      for (let col = 0; col < width; col++) this.delta[k * width + col] = renumbered[delta[s * width + col]!]!;
      for (let w = 0; w < words; w++) this.masks[k * words + w] = masks[s * words + w]!;
    }
  }

  possible(text: string): Possible {
    const { delta, width, column, masks, words } = this;
    const seen = this.always.slice();
    let s = 0;
    if (words === 1) {
      let m = seen[0]!;
      for (let k = 0; k < text.length; k++) {
        s = delta[s * width + column[text.charCodeAt(k)]!]!;
        m |= masks[s]!;
      }
      seen[0] = m;
    } else if (words === 2) {
      let m0 = seen[0]!;
      let m1 = seen[1]!;
      for (let k = 0; k < text.length; k++) {
        s = delta[s * width + column[text.charCodeAt(k)]!]!;
        m0 |= masks[2 * s]!;
        m1 |= masks[2 * s + 1]!;
      }
      seen[0] = m0;
      seen[1] = m1;
    } else {
      for (let k = 0; k < text.length; k++) {
        s = delta[s * width + column[text.charCodeAt(k)]!]!;
        for (let w = 0; w < words; w++) seen[w]! |= masks[s * words + w]!;
      }
    }
    return seen;
  }
}
