/** Public API of the PST writer (issue 7): see README.md in this folder. */
export { writePst } from './writer';
export type { PstContactInput, PstFolderInput, PstWriteOptions, PstWriteResult } from './writer';
export { PstTooLargeError } from './file-sink';
