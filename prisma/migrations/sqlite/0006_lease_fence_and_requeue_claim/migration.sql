-- AlterTable
ALTER TABLE "Message" ADD COLUMN "requeuedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Conversation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customerId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'bot',
    "assigneeId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolvedBy" TEXT,
    "resolvedAt" DATETIME,
    "handoffReason" TEXT,
    "waitingSince" DATETIME,
    "humanInvolved" BOOLEAN NOT NULL DEFAULT false,
    "leaseFence" BIGINT NOT NULL DEFAULT 0,
    "flowState" TEXT,
    "lastActivityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Conversation_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Conversation_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "StaffMember" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Conversation" ("assigneeId", "channel", "createdAt", "customerId", "flowState", "handoffReason", "humanInvolved", "id", "lastActivityAt", "mode", "resolvedAt", "resolvedBy", "status", "threadId", "updatedAt", "waitingSince") SELECT "assigneeId", "channel", "createdAt", "customerId", "flowState", "handoffReason", "humanInvolved", "id", "lastActivityAt", "mode", "resolvedAt", "resolvedBy", "status", "threadId", "updatedAt", "waitingSince" FROM "Conversation";
DROP TABLE "Conversation";
ALTER TABLE "new_Conversation" RENAME TO "Conversation";
CREATE INDEX "Conversation_customerId_idx" ON "Conversation"("customerId");
CREATE INDEX "Conversation_mode_status_idx" ON "Conversation"("mode", "status");
CREATE INDEX "Conversation_status_resolvedAt_idx" ON "Conversation"("status", "resolvedAt");
CREATE UNIQUE INDEX "Conversation_channel_threadId_key" ON "Conversation"("channel", "threadId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
