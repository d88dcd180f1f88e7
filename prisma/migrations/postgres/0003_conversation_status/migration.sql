-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "handoffReason" TEXT,
ADD COLUMN     "humanInvolved" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedBy" TEXT,
ADD COLUMN     "waitingSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ConversationEvent" (
    "id" SERIAL NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "fromMode" TEXT,
    "toMode" TEXT,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "actor" TEXT NOT NULL,
    "detail" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConversationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConversationEvent_conversationId_at_idx" ON "ConversationEvent"("conversationId", "at");

-- CreateIndex
CREATE INDEX "ConversationEvent_type_at_idx" ON "ConversationEvent"("type", "at");

-- CreateIndex
CREATE INDEX "Conversation_status_resolvedAt_idx" ON "Conversation"("status", "resolvedAt");

-- AddForeignKey
ALTER TABLE "ConversationEvent" ADD CONSTRAINT "ConversationEvent_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
