import type { Db } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { importCustomers } from './customer-import.js';
import { IMPORT_KINDS, type ImportKind, type ImportOptions, type ImportReport } from './import-report.js';
import { importOrders } from './order-import.js';
import { importProducts } from './product-import.js';

export { IMPORT_KINDS };

/**
 * Imports one CSV file of customers, products or orders (formats: README.md, "CSV import formats").
 * Bad rows are reported by line and skipped; good rows are written. A file that cannot be read,
 * is not UTF-8 or has a bad header throws AppError('IMPORT_FAILED') with `details.fileError`.
 */
export async function importCsv(db: Db, kind: ImportKind, filePath: string, opts: ImportOptions = {}): Promise<ImportReport> {
  switch (kind) {
    case 'customers': return importCustomers(db, filePath, opts);
    case 'products': return importProducts(db, filePath, opts);
    case 'orders': return importOrders(db, filePath, opts);
    default: throw new AppError('VALIDATION_FAILED', `Unknown import kind "${String(kind)}": use ${IMPORT_KINDS.join(', ')}`);
  }
}
