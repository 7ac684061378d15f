// sg.data.augment: seeded, composable augmentations applied per batch inside the heap.
// Image transforms take [n, h, w], [n, c, h, w] or flattened rows with images: [h, w].
export { compose, type Transform } from './compose.js';
export { randomCrop, randomShift, type RandomCropOptions, type RandomShiftOptions } from './crop.js';
export { horizontalFlip, verticalFlip, type FlipOptions } from './flip.js';
export { randomRotation, type RandomRotationOptions } from './rotate.js';
export { cutout, type CutoutOptions } from './cutout.js';
export { gaussianNoise, type GaussianNoiseOptions } from './noise.js';
export { mixup, mixupLoss, type MixupOptions, type MixedBatch, type Mixup } from './mixup.js';
export { RandomSource } from './random-source.js';
export type { ImageOptions } from './image-layout.js';
