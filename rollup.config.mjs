// Library bundle: ESM (dist/index.js), CJS (dist/index.cjs) and one declaration file
// (dist/index.d.ts). The .wasm builds ship as files in build/ and are found at run time
// relative to the bundle (src/runtime/load.ts), never inlined as base64.
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const external = [/^node:/];
const ts = () => typescript({
  tsconfig: './tsconfig.json',
  include: ['src/**/*.ts'],
  compilerOptions: { module: 'esnext', moduleResolution: 'bundler', declaration: false, rootDir: 'src', outDir: 'dist' },
  noEmitOnError: true,
});

export default [
  {
    input: 'src/index.ts',
    external,
    output: [
      { file: 'dist/index.js', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, inlineDynamicImports: true },
    ],
    plugins: [ts()],
  },
  {
    input: 'src/index.ts',
    external,
    output: { file: 'dist/index.d.ts', format: 'es' },
    plugins: [dts()],
  },
];
