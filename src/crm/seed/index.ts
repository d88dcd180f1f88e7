/** Demo-shop seeding: deterministic generator, demo personas and shop wipe. */
export { seedShop, SINGLE_TRANSACTION_MAX_ORDERS, type SeedOptions, type SeedSummary } from './shop-seeder.js';
export { isShopEmpty, wipeShop, shopCounts } from './shop-wipe.js';
export { DEMO_PERSONAS, DEMO_ORDER_NUMBERS, type PersonaKey } from './demo-personas.js';
export { CATALOG } from './catalog-data.js';
export { CARRIERS } from './order-generator.js';
