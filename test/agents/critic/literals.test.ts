import { describe, expect, it } from 'vitest';
import { LiteralGate, mayMatch, requiredLiterals } from '../../../src/agents/critic/literals.js';

const sorted = (xs: string[] | undefined) => xs && [...xs].sort();

describe('requiredLiterals', () => {
  it('reads the strings every match must contain', () => {
    expect(sorted(requiredLiterals(/\b(?:ignore|disregard)\s(?:all\s){0,4}(?:rules|instructions?)\b/))).toEqual(['disregard', 'ignore']);
    expect(sorted(requiredLiterals(/pre-?prompt/))).toEqual(['pre-prompt', 'preprompt']);
    expect(sorted(requiredLiterals(/t[ée]l[ée]phone/u))).toEqual(['telephone', 'teléphone', 'télephone', 'téléphone']);
    expect(sorted(requiredLiterals(/[Cc]ustomer|[Cc]lient/))).toEqual(['Client', 'Customer', 'client', 'customer']);
    // Look-arounds consume nothing; a look-around's content is not required.
    expect(requiredLiterals(/(?<!my )\bprompt(?! for)/)).toEqual(['prompt']);
    // Long literals are cut: any part of a required literal is required too.
    expect(requiredLiterals(/system prompt/)).toEqual(['system promp']);
    expect(sorted(requiredLiterals(/(?<!\S)[^\s@]{0,256}(?:https?:\/\/|@)\S*/g))).toEqual(['@', 'http://', 'https://']);
  });

  it('keeps only literals that no other one is part of', () => {
    expect(sorted(requiredLiterals(/\b(?:rule|rules|ruler)\b|\bprompts?\b/))).toEqual(['prompt', 'rule']);
  });

  it('knows nothing (the regex always runs) when a match may hold no literal', () => {
    expect(requiredLiterals(/\d{3}/)).toBeUndefined();
    expect(sorted(requiredLiterals(/[^a]bc|x/))).toEqual(['bc', 'x']);
    expect(requiredLiterals(/[^a]|x/)).toBeUndefined();
    expect(requiredLiterals(/a?/)).toBeUndefined();
    expect(requiredLiterals(/(a)\1|b/)).toEqual(['a', 'b']);
    // Without a group, \1 is an octal escape (U+0001) outside unicode mode.
    expect(sorted(requiredLiterals(new RegExp('\\1|b')))).toEqual(['\u0001', 'b']);
    expect(requiredLiterals(/(a|)\1|b/)).toBeUndefined();
    // Case folding is not mirrored.
    expect(requiredLiterals(/ignore/i)).toBeUndefined();
  });

  it('is sound: a text that a regex matches holds one of its literals', () => {
    const regexes = [
      /\b(?:you are|you're|be|act as)\s(?:now\s)?(?:an?\s)?(?:dan|stan|dude)\b|\bdo anything now\b/,
      /\b(?:issue|give|send)\b[^.!?\n]{0,50}\b(?:refunds?|store credit|gift cards?|100 ?%)/,
      /(?:^|\n|[.!?]\s)\s*\[?(?:system|admin)\]?\s*(?:message|prompt)?\s*:\s*(?:you\b|ignore)/,
      /\b(?:my|mon|ma)\s(?:\w+\s)?(?:orders?|commandes?)\b/,
      /\bn[°º]\s?\d+|#\d+/u,
    ];
    const words = ['you are', 'be', 'act as', 'now', 'an', 'dan', 'stan', 'dude', 'do anything now', 'issue', 'give', 'send', 'refund', 'refunds', 'store credit', 'gift card', '100%', '100 %', 'system', 'admin', '[', ']', ':', 'message', 'prompt', 'ignore', 'you', 'my', 'mon', 'ma', 'order', 'orders', 'commande', 'n°', 'nº', '#', '12', 'x', '.', '!', '\n', ' ', '  '];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const gate = new LiteralGate(regexes);
    let matched = 0;
    for (let i = 0; i < 20000; i++) {
      let text = '';
      for (let k = 1 + Math.floor(rnd() * 12); k > 0; k--) text += words[Math.floor(rnd() * words.length)] + (rnd() < 0.7 ? ' ' : '');
      const may = gate.possible(text);
      regexes.forEach((re, r) => {
        if (!re.test(text)) return;
        matched++;
        expect(requiredLiterals(re)!.some((l) => text.includes(l)), `${re} on ${JSON.stringify(text)}`).toBe(true);
        expect(mayMatch(may, r), `gate for ${re} on ${JSON.stringify(text)}`).toBe(true);
      });
    }
    expect(matched).toBeGreaterThan(1000);
  });
});

describe('LiteralGate', () => {
  it('rules out exactly the regexes whose literals are all absent, and never one without literals', () => {
    const gate = new LiteralGate([/\bignore\b/, /\d+/, /\b(?:rule|rules)\b/, /\bsystem prompt\b/]);
    const may = gate.possible('please ignore the rules');
    expect([0, 1, 2, 3].map((i) => mayMatch(may, i))).toEqual([true, true, true, false]);
    const none = gate.possible('');
    expect([0, 1, 2, 3].map((i) => mayMatch(none, i))).toEqual([false, true, false, false]);
  });

  it('finds literals that overlap or share a start, and non-ASCII ones', () => {
    const gate = new LiteralGate([/abcd/, /bc/, /abc/, /cde/, /téléphone|numéro/u]);
    const may = gate.possible('xabcde, numéro');
    expect([0, 1, 2, 3, 4].map((i) => mayMatch(may, i))).toEqual([true, true, true, true, true]);
    const some = gate.possible('abx bcx');
    expect([0, 1, 2, 3, 4].map((i) => mayMatch(some, i))).toEqual([false, true, false, false, false]);
  });

  it('covers more than 32 regexes', () => {
    const regexes = Array.from({ length: 70 }, (_, i) => new RegExp(`word${i}x`));
    const may = new LiteralGate(regexes).possible('… word3x … word45x … word69x');
    expect(regexes.map((_, i) => i).filter((i) => mayMatch(may, i))).toEqual([3, 45, 69]);
  });
});
