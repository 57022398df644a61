import { expect, it } from "vitest";
import { Vault } from "../core/index.ts";
import { AuditLog } from "../prisma/index.ts";
import { AccountService } from "../trading/accounts/index.ts";
import { describeEachDatabase } from "../test/kit/db.ts";
import { rotateVaultKeys } from "./key-rotation.ts";

const K1 = Vault.generateKeySpec("k1");
const K2 = Vault.generateKeySpec("k2");

describeEachDatabase("vault key rotation", (getDb) => {
  it("re-seals every credential under the new key while every row keeps decrypting throughout", async () => {
    const prisma = getDb().prisma;
    const user = await prisma.user.create({ data: { email: `rot-${Date.now()}@example.com`, passwordHash: "x", role: "USER", plan: "ENTERPRISE" } });
    const actor = { id: user.id, role: user.role, plan: user.plan };
    const oldVault = new Vault(Vault.parseKeyring(K1));
    const before = new AccountService(prisma, oldVault, new AuditLog(prisma));
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await before.create(actor, { name: `a${i}`, platform: "MT5", credentials: { password: `secret-${i}` } })).id);

    // The new key goes first; the old one stays so rows not yet rotated still open.
    const vault = new Vault(Vault.parseKeyring(`${K2},${K1}`));
    const after = new AccountService(prisma, vault, new AuditLog(prisma));
    for (const [i, id] of ids.entries()) expect(await after.credentials(id)).toEqual({ password: `secret-${i}` });

    // A concurrent credential change during rotation must not be overwritten by the rotation.
    await after.update(actor, ids[3]!, { credentials: { password: "changed-mid-rotation" } });
    const report = await rotateVaultKeys(prisma, vault, 2);
    expect(report).toMatchObject({ activeKeyId: "k2", rotated: 6, alreadyCurrent: 1, skipped: 0 });

    const rows = await prisma.brokerAccount.findMany({ where: { id: { in: ids } }, select: { id: true, credentials: true, credentialsKeyId: true } });
    expect(rows.every((r) => r.credentialsKeyId === "k2" && Vault.keyIdOf(r.credentials!) === "k2")).toBe(true);
    for (const [i, id] of ids.entries()) expect(await after.credentials(id)).toEqual({ password: i === 3 ? "changed-mid-rotation" : `secret-${i}` });

    // Once rotated, the old key can be retired: a vault without it still opens everything.
    const retired = new AccountService(prisma, new Vault(Vault.parseKeyring(K2)), new AuditLog(prisma));
    expect(await retired.credentials(ids[0]!)).toEqual({ password: "secret-0" });
    expect(await rotateVaultKeys(prisma, vault)).toMatchObject({ rotated: 0, alreadyCurrent: 7 });
  });
});
