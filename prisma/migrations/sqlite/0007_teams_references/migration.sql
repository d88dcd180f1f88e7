-- CreateTable
CREATE TABLE "TeamsReference" (
    "channelId" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT,
    "tenantId" TEXT,
    "serviceUrl" TEXT NOT NULL,
    "botId" TEXT NOT NULL,
    "botName" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "TeamsReference_updatedAt_idx" ON "TeamsReference"("updatedAt");
