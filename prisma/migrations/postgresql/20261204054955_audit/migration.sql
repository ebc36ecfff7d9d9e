-- AlterTable
ALTER TABLE "User" ADD COLUMN     "email" TEXT,
ADD COLUMN     "sessionsValidFrom" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT,
    "actorId" INTEGER,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "groupId" INTEGER,
    "groupName" TEXT,
    "workflow" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEntry_workflow_id_idx" ON "AuditEntry"("workflow", "id");

-- CreateIndex
CREATE INDEX "AuditEntry_groupId_id_idx" ON "AuditEntry"("groupId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
