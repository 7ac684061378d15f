// The fine-tuning example (examples/node/finetune-digits.ts), run as a program with fewer epochs:
// the summary counts the frozen encoder's parameters (64·128+128 + 128·32+32) and the head's
// (32·10+10), stage 1 leaves the frozen encoder bit for bit as it was, every stage learns the ten
// classes from 50 images well above chance, and the program exits 0 (it exits 1 on a leak).
import { describe, expect, it } from 'vitest';
import { runExample } from '../helpers/run-example.js';

describe('finetune-digits example', () => {
  it('freezes the encoder, trains the head, fine-tunes at a lower rate and reports each stage', async () => {
    const r = await runExample('finetune-digits.ts', ['--epochs', '30']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('50 labelled (5 per class)');
    expect(r.stdout).toMatch(/Total params: 12,778 /);
    expect(r.stdout).toMatch(/Trainable params: 330\n/);
    expect(r.stdout).toMatch(/Frozen params: 12,448\n/);
    expect(r.stdout).toContain('the frozen encoder was unchanged by stage 1');
    const m = r.stdout.match(/from scratch ([\d.]+)%, frozen encoder \+ new head ([\d.]+)%, fine-tuned ([\d.]+)%/);
    expect(m, r.stdout).not.toBeNull();
    for (const acc of m!.slice(1).map(Number)) expect(acc).toBeGreaterThan(60);   // chance: 10%
  });
});
