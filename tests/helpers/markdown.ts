// Reading the repository's markdown for the document tests (tests/docs/): fenced code blocks with
// their line and the `<!-- test: … -->` comment right before them, the prose outside code blocks,
// links, inline code spans, and GitHub's heading anchors. Contract: plain string functions, no
// markdown library — the documents use fenced blocks (```lang), [text](target) links, `code`
// spans and ATX headings (#) only.

export interface CodeBlock {
  /** The info string after the fence (`js`, `sh`, …). */
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The text of a `<!-- test: … -->` comment on the line before the fence, if any. */
  tag?: string;
}

const FENCE = /^```(.*)$/;
const TAG = /^<!--\s*test:\s*(.*?)\s*-->$/;

/** The fenced code blocks of a document, in order. */
export function codeBlocks(md: string): CodeBlock[] {
  const lines = md.split('\n'), out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    while (++i < lines.length && lines[i] !== '```') { /* to the closing fence */ }
    if (i === lines.length) throw new Error(`unclosed code block at line ${start + 1}`);
    const tag = TAG.exec(lines[start - 1] ?? '')?.[1];
    out.push({ lang: open[1]!.trim(), code: lines.slice(start + 1, i).join('\n'), line: start + 1, ...(tag ? { tag } : {}) });
  }
  return out;
}

/** The document with every fenced block's lines blanked (line numbers kept). */
export function prose(md: string): string {
  let inside = false;
  return md.split('\n').map((l) => {
    if (FENCE.test(l)) { inside = !inside; return ''; }
    return inside ? '' : l;
  }).join('\n');
}

/** Link targets `[text](target)` outside code blocks and code spans, with their line. */
export function links(md: string): { target: string; line: number }[] {
  return prose(md).split('\n').flatMap((l, i) =>
    [...l.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ target: m[1]!, line: i + 1 })));
}

/** Inline code spans outside code blocks, with their line. */
export function codeSpans(md: string): { text: string; line: number }[] {
  return prose(md).split('\n').flatMap((l, i) => [...l.matchAll(/`([^`]+)`/g)].map((m) => ({ text: m[1]!, line: i + 1 })));
}

/** GitHub's anchors of a document's headings: lower case, punctuation dropped, spaces → '-'. */
export function headingAnchors(md: string): Set<string> {
  const seen = new Map<string, number>(), out = new Set<string>();
  for (const l of prose(md).split('\n')) {
    const h = /^#{1,6}\s+(.*?)\s*#*$/.exec(l);
    if (!h) continue;
    const base = h[1]!.toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}
