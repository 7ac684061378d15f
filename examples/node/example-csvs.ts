// examples/node/example-csvs.ts: the two CSV files the regression and command-line examples learn
// from, written into the working directory, each with a file of new rows to predict:
//   houses.csv (500 rows) and new-houses.csv (100 rows, no price): a regression. Columns id,
//     district (text), area (m²), rooms, age (years), distance (km to the centre) and price (whole
//     hundreds). The prices follow housePrice() below times 1 + 5 % Gaussian noise; the district
//     plays no part. The features' scales differ by two orders of magnitude and the price is in
//     the hundreds of thousands: a scaler is needed.
//   flowers.csv (120 rows) and new-flowers.csv (30 rows, no species): a classification. Fisher's
//     iris (the built-in iris()) with an id column and the species as text; every fifth flower is
//     a new one.
// Seeded: every run writes the same bytes. `newFlowerSpecies()` are the new flowers' species.
//   node --import tsx examples/node/example-csvs.ts     (or import writeExampleCsvs from it)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iris } from 'simdgrad/datasets';

export interface House { area: number; rooms: number; age: number; distance: number }

/** The rule behind the prices: per m², more near the centre, less with age, plus a sum per room. */
export const housePrice = ({ area, rooms, age, distance }: House): number =>
  2500 * area * (1 + Math.exp(-distance / 4)) * (1 - age / 200) + 10_000 * rooms;

/** A seeded uniform [0, 1) generator (mulberry32). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISTRICTS = ['north', 'south', 'east', 'west'];
const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** n houses drawn with `seed`: features rounded as a listing shows them, and the rule's price. */
export function houses(n: number, seed: number): (House & { id: number; district: string; price: number })[] {
  const u = uniform(seed), normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return Array.from({ length: n }, (_, i) => {
    const area = round(30 + 220 * u(), 1), age = Math.floor(80 * u()), distance = round(1 + 29 * u() ** 2, 2);
    const rooms = Math.min(7, Math.max(1, Math.round(area / 40 + 0.6 * normal())));
    const house = { area, rooms, age, distance };
    const price = Math.round((housePrice(house) * (1 + 0.05 * normal())) / 100) * 100;
    return { id: seed * 10_000 + i, district: DISTRICTS[Math.floor(4 * u())]!, ...house, price };
  });
}

/** The built-in iris with ids and species names; every fifth flower goes to the new ones. */
function flowers() {
  const d = iris(), rows = Array.from({ length: d.shape[0] }, (_, i) => ({
    id: i + 1, values: [...d.x.subarray(4 * i, 4 * i + 4)].map((v) => round(v, 1)), species: d.targetNames[d.y[i]!]!,
  }));
  const columns = d.featureNames.map((f) => f.replace(' (cm)', '').replace(' ', '_'));   // sepal_length, …
  return { columns, known: rows.filter((_, i) => i % 5 !== 4), new: rows.filter((_, i) => i % 5 === 4) };
}

/** The species of the flowers in new-flowers.csv, in its row order. */
export const newFlowerSpecies = (): string[] => flowers().new.map((r) => r.species);

const csv = (header: string[], rows: (string | number)[][]) => [header, ...rows].map((r) => r.join(',')).join('\n') + '\n';

/** Writes houses.csv, new-houses.csv, flowers.csv and new-flowers.csv into `dir`; returns their paths. */
export function writeExampleCsvs(dir = '.'): string[] {
  const cols = ['id', 'district', 'area', 'rooms', 'age', 'distance'] as const, f = flowers();
  const files: [string, string][] = [
    ['houses.csv', csv([...cols, 'price'], houses(500, 1).map((h) => [...cols.map((c) => h[c]), h.price]))],
    ['new-houses.csv', csv([...cols], houses(100, 2).map((h) => cols.map((c) => h[c])))],
    ['flowers.csv', csv(['id', ...f.columns, 'species'], f.known.map((r) => [r.id, ...r.values, r.species]))],
    ['new-flowers.csv', csv(['id', ...f.columns], f.new.map((r) => [r.id, ...r.values]))],
  ];
  return files.map(([name, text]) => { const path = join(dir, name); writeFileSync(path, text); return path; });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`wrote ${writeExampleCsvs().join(', ')}`);
}
