-- CreateTable
CREATE TABLE "NluReviewItem" (
    "id" SERIAL NOT NULL,
    "messageId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "predictedIntent" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "reason" TEXT NOT NULL,
    "suggestedIntent" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "label" TEXT,
    "labelledBy" TEXT,
    "labelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NluReviewItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NluReviewItem_messageId_key" ON "NluReviewItem"("messageId");

-- CreateIndex
CREATE INDEX "NluReviewItem_status_id_idx" ON "NluReviewItem"("status", "id");
