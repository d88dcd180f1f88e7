/** CSV import of customers, products and orders. */
export { importCsv, IMPORT_KINDS } from './csv-import.js';
export type { ImportKind, ImportOptions, ImportReport } from './import-report.js';
export { FILE_ERROR } from './csv-reader.js';
