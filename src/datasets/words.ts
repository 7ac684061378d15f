// words(): 52,271 English words (lowercase a–z, 3–10 letters, sorted) for character-level language
// models, decoded from the front-coded string in words-data.ts. Contract: a fresh array on every
// call; `copyright` is the word list's notice, which must travel with any copy of the words.
import { WORDS_COPYRIGHT, WORDS_DATA } from './words-data.js';

export const WORDS_CREDIT = 'SCOWL word list (Kevin Atkinson) as Debian\'s wamerican ships it; ' +
  'see `copyright` for its permission notice';

export interface Words {
  words: string[];
  credit: string;
  copyright: string;
}

/**
 * The English word list.
 * @example
 * import { words } from 'simdgrad/datasets';
 * const { words: list } = words();   // ['aardvark', 'aardvarks', 'abaci', …] (52,271)
 */
export function words(): Words {
  const out: string[] = [];
  let prev = '';
  for (let i = 0; i < WORDS_DATA.length;) {
    const c = WORDS_DATA.charCodeAt(i);
    if (c === 10) { i++; continue; }                  // line breaks are layout only
    let j = i + 1;
    while (j < WORDS_DATA.length && WORDS_DATA.charCodeAt(j) >= 97) j++;
    prev = prev.slice(0, c - 48) + WORDS_DATA.slice(i + 1, j);
    out.push(prev);
    i = j;
  }
  return { words: out, credit: WORDS_CREDIT, copyright: WORDS_COPYRIGHT };
}
