-- CreateIndex
CREATE INDEX "Message_channel_threadId_status_idx" ON "Message"("channel", "threadId", "status");

-- CreateIndex
CREATE INDEX "Message_replyToId_idx" ON "Message"("replyToId");
