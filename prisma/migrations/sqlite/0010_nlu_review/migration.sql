-- CreateTable
CREATE TABLE "NluReviewItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "predictedIntent" TEXT NOT NULL,
    "confidence" REAL NOT NULL,
    "reason" TEXT NOT NULL,
    "suggestedIntent" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "label" TEXT,
    "labelledBy" TEXT,
    "labelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "NluReviewItem_messageId_key" ON "NluReviewItem"("messageId");

-- CreateIndex
CREATE INDEX "NluReviewItem_status_id_idx" ON "NluReviewItem"("status", "id");
