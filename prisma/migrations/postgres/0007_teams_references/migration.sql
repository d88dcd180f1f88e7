-- CreateTable
CREATE TABLE "TeamsReference" (
    "channelId" TEXT NOT NULL,
    "teamId" TEXT,
    "tenantId" TEXT,
    "serviceUrl" TEXT NOT NULL,
    "botId" TEXT NOT NULL,
    "botName" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TeamsReference_pkey" PRIMARY KEY ("channelId")
);

-- CreateIndex
CREATE INDEX "TeamsReference_updatedAt_idx" ON "TeamsReference"("updatedAt");
