-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ConversationNote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversationId" INTEGER NOT NULL,
    "staffId" INTEGER,
    "author" TEXT,
    "dedupeKey" TEXT,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConversationNote_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConversationNote_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ConversationNote" ("conversationId", "createdAt", "id", "staffId", "text") SELECT "conversationId", "createdAt", "id", "staffId", "text" FROM "ConversationNote";
DROP TABLE "ConversationNote";
ALTER TABLE "new_ConversationNote" RENAME TO "ConversationNote";
CREATE UNIQUE INDEX "ConversationNote_dedupeKey_key" ON "ConversationNote"("dedupeKey");
CREATE INDEX "ConversationNote_conversationId_id_idx" ON "ConversationNote"("conversationId", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
