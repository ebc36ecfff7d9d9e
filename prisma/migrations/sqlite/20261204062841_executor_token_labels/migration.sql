-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Executor" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "labels" TEXT NOT NULL DEFAULT '',
    "tokenLabels" TEXT NOT NULL DEFAULT '',
    "capacity" INTEGER NOT NULL DEFAULT 2,
    "state" TEXT NOT NULL DEFAULT 'online',
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Executor" ("capacity", "createdAt", "id", "labels", "lastSeenAt", "name", "state", "tokenHash") SELECT "capacity", "createdAt", "id", "labels", "lastSeenAt", "name", "state", "tokenHash" FROM "Executor";
DROP TABLE "Executor";
ALTER TABLE "new_Executor" RENAME TO "Executor";
CREATE UNIQUE INDEX "Executor_tokenHash_key" ON "Executor"("tokenHash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
