-- DropIndex
DROP INDEX "Order_customerId_placedAt_idx";

-- DropIndex
DROP INDEX "Order_placedAt_idx";

-- DropIndex
DROP INDEX "OrderItem_orderId_idx";

-- CreateIndex
CREATE INDEX "Order_customerId_placedAt_status_idx" ON "Order"("customerId", "placedAt", "status");

-- CreateIndex
CREATE INDEX "Order_placedAt_status_customerId_totalCents_refundedCents_idx" ON "Order"("placedAt", "status", "customerId", "totalCents", "refundedCents");

-- CreateIndex
CREATE INDEX "OrderItem_orderId_sku_productId_quantity_totalCents_idx" ON "OrderItem"("orderId", "sku", "productId", "quantity", "totalCents");

-- CreateIndex
CREATE INDEX "Conversation_createdAt_idx" ON "Conversation"("createdAt");

-- CreateIndex
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt");
