-- CreateTable
CREATE TABLE "WebVisitor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "browserId" TEXT NOT NULL,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WebThread" (
    "threadId" TEXT NOT NULL PRIMARY KEY,
    "browserId" TEXT NOT NULL,
    "customerRef" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ConversationProof" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversationId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AttemptCounter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL DEFAULT 0,
    "windowEnds" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OneTimeCode" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversationId" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Ticket" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "customerId" INTEGER NOT NULL,
    "orderId" INTEGER,
    "conversationId" INTEGER,
    "assigneeId" INTEGER,
    "subject" TEXT NOT NULL,
    "description" TEXT,
    "details" TEXT,
    "slaDueAt" DATETIME NOT NULL,
    "resolution" TEXT,
    "resolvedAt" DATETIME,
    "dedupeKey" TEXT,
    "unverifiedRequester" BOOLEAN NOT NULL DEFAULT false,
    "requesterCustomerId" INTEGER,
    "approvedAt" DATETIME,
    "approvedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Ticket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Ticket_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "StaffMember" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Ticket" ("assigneeId", "conversationId", "createdAt", "customerId", "dedupeKey", "description", "details", "id", "orderId", "priority", "resolution", "resolvedAt", "slaDueAt", "status", "subject", "type", "updatedAt") SELECT "assigneeId", "conversationId", "createdAt", "customerId", "dedupeKey", "description", "details", "id", "orderId", "priority", "resolution", "resolvedAt", "slaDueAt", "status", "subject", "type", "updatedAt" FROM "Ticket";
DROP TABLE "Ticket";
ALTER TABLE "new_Ticket" RENAME TO "Ticket";
CREATE UNIQUE INDEX "Ticket_dedupeKey_key" ON "Ticket"("dedupeKey");
CREATE INDEX "Ticket_customerId_idx" ON "Ticket"("customerId");
CREATE INDEX "Ticket_orderId_idx" ON "Ticket"("orderId");
CREATE INDEX "Ticket_status_slaDueAt_idx" ON "Ticket"("status", "slaDueAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "WebVisitor_browserId_idx" ON "WebVisitor"("browserId");

-- CreateIndex
CREATE UNIQUE INDEX "WebThread_browserId_customerRef_key" ON "WebThread"("browserId", "customerRef");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationProof_conversationId_kind_subject_key" ON "ConversationProof"("conversationId", "kind", "subject");

-- CreateIndex
CREATE INDEX "OneTimeCode_conversationId_subject_idx" ON "OneTimeCode"("conversationId", "subject");
