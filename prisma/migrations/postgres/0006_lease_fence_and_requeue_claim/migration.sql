-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "leaseFence" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "requeuedAt" TIMESTAMP(3);
