-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "approvedAt" TIMESTAMP(3),
ADD COLUMN     "approvedBy" TEXT,
ADD COLUMN     "requesterCustomerId" INTEGER,
ADD COLUMN     "unverifiedRequester" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "WebVisitor" (
    "id" TEXT NOT NULL,
    "browserId" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebVisitor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebThread" (
    "threadId" TEXT NOT NULL,
    "browserId" TEXT NOT NULL,
    "customerRef" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebThread_pkey" PRIMARY KEY ("threadId")
);

-- CreateTable
CREATE TABLE "ConversationProof" (
    "id" SERIAL NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConversationProof_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AttemptCounter" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "windowEnds" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AttemptCounter_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "OneTimeCode" (
    "id" SERIAL NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OneTimeCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebVisitor_browserId_idx" ON "WebVisitor"("browserId");

-- CreateIndex
CREATE UNIQUE INDEX "WebThread_browserId_customerRef_key" ON "WebThread"("browserId", "customerRef");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationProof_conversationId_kind_subject_key" ON "ConversationProof"("conversationId", "kind", "subject");

-- CreateIndex
CREATE INDEX "OneTimeCode_conversationId_subject_idx" ON "OneTimeCode"("conversationId", "subject");
