-- AlterTable
ALTER TABLE "Executor" ADD COLUMN     "tokenLabels" TEXT NOT NULL DEFAULT '';
