-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "runId" INTEGER NOT NULL,
    "job" TEXT,
    "channel" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "targetKey" TEXT NOT NULL,
    "secret" TEXT,
    "timeoutMs" INTEGER,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "claimToken" TEXT,
    "lastError" TEXT,
    "lastAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Notification_state_nextAttemptAt_idx" ON "Notification"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Notification_runId_id_idx" ON "Notification"("runId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_eventId_targetKey_key" ON "Notification"("eventId", "targetKey");

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
