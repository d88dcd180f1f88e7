-- DropIndex
DROP INDEX "Order_customerId_placedAt_idx";

-- DropIndex
DROP INDEX "Order_placedAt_idx";

-- DropIndex
DROP INDEX "OrderItem_orderId_idx";

-- CreateTable
CREATE TABLE "SalesDaySummary" (
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "orders" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "grossCents" REAL NOT NULL,
    "refundedCents" REAL NOT NULL,
    "refundOrders" INTEGER NOT NULL,
    "name" TEXT,

    PRIMARY KEY ("day", "kind", "key", "status")
);

-- CreateTable
CREATE TABLE "CustomerSalesSummary" (
    "customerId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "firstSaleAt" DATETIME NOT NULL,
    "lastSaleAt" DATETIME NOT NULL,
    "saleOrders" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "CustomerSalesSummary_lastSaleAt_idx" ON "CustomerSalesSummary"("lastSaleAt");

-- CreateIndex
CREATE INDEX "Order_customerId_placedAt_status_idx" ON "Order"("customerId", "placedAt", "status");

-- CreateIndex
CREATE INDEX "Order_placedAt_status_customerId_totalCents_refundedCents_idx" ON "Order"("placedAt", "status", "customerId", "totalCents", "refundedCents");

-- CreateIndex
CREATE INDEX "Order_updatedAt_idx" ON "Order"("updatedAt");

-- CreateIndex
CREATE INDEX "OrderItem_orderId_sku_productId_quantity_totalCents_idx" ON "OrderItem"("orderId", "sku", "productId", "quantity", "totalCents");

-- CreateIndex
CREATE INDEX "Conversation_createdAt_idx" ON "Conversation"("createdAt");

-- CreateIndex
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt");
