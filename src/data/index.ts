// sg.data: preprocessing (scalers, encoders), index splits and cross-validation folds, CSV and IDX input.
export { StandardScaler, type StandardScalerOptions, type StandardScalerState } from './standard-scaler.js';
export { MinMaxScaler, type MinMaxScalerOptions, type MinMaxScalerState } from './min-max-scaler.js';
export { RobustScaler, type RobustScalerOptions, type RobustScalerState } from './robust-scaler.js';
export { type ScalerJSON } from './scaler.js';
export { oneHot } from './one-hot.js';
export { LabelEncoder, type Label } from './label-encoder.js';
export { trainTestSplit, kFold, stratifiedKFold, shuffleSplit, type Split, type Labels, type TrainTestSplitOptions, type KFoldOptions, type ShuffleSplitOptions } from './splits.js';
export { readCsv, type CsvOptions, type CsvData, type CsvDataWithTarget } from './read-csv-lazy.js'; // the parser (read-csv.ts) loads on first use
export { readIdx, IdxError, type IdxData, type IdxSource, type IdxType } from './read-idx-lazy.js'; // the reader (read-idx.ts) loads on first use
// mini-batches and augmentation (DataLoader, sg.data.augment.*)
export { DataLoader, gatherRows, type DataLoaderOptions, type Batch, type Targets } from './data-loader.js';
export * as augment from './augment/index.js';
// sequences: character vocabulary, padding, next-token batches for language models
export { CharVocab, type CharVocabOptions, type CharVocabJSON } from './char-vocab.js';
export { padSequences, type PadSequencesOptions, type PaddedSequences } from './pad-sequences.js';
export { nextTokenBatch, nextTokenBatches, type NextTokenBatch, type NextTokenBatchOptions, type NextTokenBatchesOptions } from './next-token-batches.js';
