-- AlterTable
ALTER TABLE "ConversationNote" ADD COLUMN     "author" TEXT,
ADD COLUMN     "dedupeKey" TEXT,
ALTER COLUMN "staffId" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ConversationNote_dedupeKey_key" ON "ConversationNote"("dedupeKey");
