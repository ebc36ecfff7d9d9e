-- AlterTable
ALTER TABLE "User" ADD COLUMN "email" TEXT;
ALTER TABLE "User" ADD COLUMN "sessionsValidFrom" DATETIME;

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actor" TEXT,
    "actorId" INTEGER,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "groupId" INTEGER,
    "groupName" TEXT,
    "workflow" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}'
);

-- CreateIndex
CREATE INDEX "AuditEntry_workflow_id_idx" ON "AuditEntry"("workflow", "id");

-- CreateIndex
CREATE INDEX "AuditEntry_groupId_id_idx" ON "AuditEntry"("groupId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
