// Build-time training of the intent model: `node dist/agents/intent/train.js [--out <file>]`.
// Trains the multilingual intent classifier and the language identifier on train.json + data/supplement.json
// (never dev.json) and writes ONE JSON file, by default dist/agents/intent/model.json next to the compiled
// classifier, which loads it at start-up.
import { DEFAULT_MODEL_FILE, saveModel, trainClassifier } from './classifier.js';

function parseArgs(argv: string[]): { out: string } {
  let out = DEFAULT_MODEL_FILE;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') {
      const v = argv[++i];
      if (!v) throw new Error('--out needs a file path');
      out = v;
    } else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node dist/agents/intent/train.js [--out <file>]\n');
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  return { out };
}

try {
  const { out } = parseArgs(process.argv.slice(2));
  const { classifier, meta } = trainClassifier();
  saveModel(classifier, meta, out);
  process.stdout.write(
    `intent model: ${meta.utterances} utterances (${Object.entries(meta.byLanguage).map(([l, n]) => `${l} ${n}`).join(', ')}), ` +
      `${classifier.model.featureCount} features, trained in ${meta.seconds} s -> ${out}\n`,
  );
} catch (err) {
  process.stderr.write(`train: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
